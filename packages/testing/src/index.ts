/**
 * Test kit: connects tests to real Postgres, NATS, Redis, S3 and SMTP servers named by environment
 * URLs (CI and the dev machines), or starts them with testcontainers where Docker exists; isolates
 * test files from each other (a database, a NATS namespace, a BullMQ prefix and a bucket each).
 */
export { infrastructure, canConnect, type Infrastructure } from './infrastructure.ts';
export { createTestDatabase, type TestDatabase } from './database.ts';
export { startS3, type TestS3 } from './s3.ts';
export { startSmtpSink, type SmtpSink, type ReceivedMail } from './smtp.ts';
export { testNamespace, deleteNamespaceStreams, waitFor, silentLogger } from './helpers.ts';
export { startTestIssuer, type TestIssuer } from './issuer.ts';
export { memoryLogger, type LogLine } from './memory-logger.ts';
export { readStreamEvents, type StreamReader } from './streams.ts';
export {
  startServiceHarness,
  type ServiceHarness,
  type HarnessOptions,
  type CallResult,
} from './service-harness.ts';
export {
  preconditionSuite,
  type ConditionalResource,
  type ConditionalWriteResult,
} from './precondition-suite.ts';
export { openApiContract, type OpenApiContract, type ReceivedResponse } from './openapi-contract.ts';
export {
  startNatsServer,
  natsServerBinary,
  NATS_CONFIG_FILE,
  type NatsServer,
  type NatsServerOptions,
} from './nats-server.ts';

/**
 * Runs the whole notification service in-process against real servers: a fresh database, its own
 * NATS namespace and BullMQ prefix, an s3rver bucket, an SMTP sink and a token issuer.
 */
import { createEnvelope, newId, validateEvent, type EventEnvelope } from '@invoice/contracts';
import { startConsumers } from '@invoice/platform-bus';
import { migrate } from '@invoice/platform-db';
import type { App } from '@invoice/platform-http';
import { OutboxRelay } from '@invoice/platform-outbox';
import { ObjectStorage } from '@invoice/platform-storage';
import {
  createTestDatabase,
  deleteNamespaceStreams,
  infrastructure,
  silentLogger,
  startS3,
  startSmtpSink,
  startTestIssuer,
  testNamespace,
  type SmtpSink,
  type TestIssuer,
} from '@invoice/platform-testing';
import { buildApp } from '../../src/app.ts';
import { readConfig, type Config } from '../../src/config.ts';
import { closeDeps, createDeps, type Deps } from '../../src/deps.ts';
import { consumers } from '../../src/events/index.ts';
import { createWorkers, type Workers } from '../../src/workers/index.ts';

/** The running service and the servers around it. */
export interface Harness {
  config: Config;
  deps: Deps;
  app: App;
  sink: SmtpSink;
  issuer: TestIssuer;
  storage: ObjectStorage;
  workers: Workers;
  /** Publishes an event on this test's namespace, as another service's relay would. */
  publish<T>(type: string, orgId: string, subject: string, data: T, id?: string): Promise<EventEnvelope<T>>;
  stop(): Promise<void>;
}

/** Starts everything; `env` overrides config variables. */
export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const infra = await infrastructure();
  const db = await createTestDatabase();
  const namespace = testNamespace();
  const [sink, s3, issuer] = await Promise.all([startSmtpSink(), startS3(), startTestIssuer()]);
  const config = readConfig({
    DATABASE_URL: db.url,
    NATS_URL: infra.natsUrl,
    NATS_NAMESPACE: namespace,
    REDIS_URL: infra.redisUrl,
    QUEUE_PREFIX: namespace,
    S3_ENDPOINT: s3.options.endpoint,
    S3_BUCKET: s3.options.bucket,
    S3_ACCESS_KEY_ID: s3.options.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.options.secretAccessKey,
    SMTP_HOST: sink.host,
    SMTP_PORT: String(sink.port),
    AUTH_JWKS_URL: issuer.jwksUrl,
    EMAIL_BACKOFF_MS: '100',
    ...env,
  });
  const logger = silentLogger();
  const deps = await createDeps(config, logger);
  await migrate(deps.orm);
  const storage = new ObjectStorage(s3.options);
  await storage.ensureBucket();
  await deps.bus.ensureStreams();
  const stopConsumers = await startConsumers(deps.bus, consumers(deps), { ackWaitMs: 5_000 });
  const workers = createWorkers(deps);
  const relay = new OutboxRelay(deps.orm, deps.bus, logger, { idleMs: 50 });
  relay.start();
  const app = await buildApp(deps);

  return {
    config,
    deps,
    app,
    sink,
    issuer,
    storage,
    workers,
    async publish(type, orgId, subject, data, id) {
      const envelope = createEnvelope({ type, source: 'test', orgId, subject, data, ...(id ? { id } : {}) });
      const problems = validateEvent(type, envelope);
      if (problems.length > 0) throw new Error(`test event breaks its contract: ${problems.join('; ')}`);
      await deps.bus.publish(envelope);
      return envelope;
    },
    async stop() {
      await app.close();
      await stopConsumers();
      await workers.stop();
      await relay.stop();
      await deps.queue.obliterate({ force: true }).catch(() => undefined);
      await closeDeps(deps);
      await deps.bus.close();
      await deps.orm.close();
      storage.close();
      await deleteNamespaceStreams(infra.natsUrl, namespace);
      await db.drop();
      await Promise.all([sink.stop(), s3.stop(), issuer.stop()]);
    },
  };
}

/** A fresh organization id. */
export const newOrgId = (): string => newId();

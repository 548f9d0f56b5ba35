/**
 * The document service wired to real Postgres, NATS, Redis and S3 for one test file: its own
 * database, NATS namespace, BullMQ prefix and bucket, a stand-in token issuer, the consumers, the
 * outbox relay and (on demand) the render worker with its reconciler.
 */
import {
  Subjects,
  createEnvelope,
  type EventEnvelope,
  type InvoiceIssued,
  type InvoiceSnapshot,
} from '@invoice/contracts';
import { startConsumers } from '@invoice/platform-bus';
import { migrate } from '@invoice/platform-db';
import type { App } from '@invoice/platform-http';
import { OutboxRelay } from '@invoice/platform-outbox';
import type { Stopper } from '@invoice/platform-service';
import {
  createTestDatabase,
  deleteNamespaceStreams,
  infrastructure,
  readStreamEvents,
  silentLogger,
  startS3,
  startTestIssuer,
  testNamespace,
  type TestDatabase,
  type TestIssuer,
  type TestS3,
} from '@invoice/platform-testing';
import { buildApp } from '../../src/app.ts';
import { readConfig } from '../../src/config.ts';
import { closeClients, createDeps, type Deps } from '../../src/deps.ts';
import { consumers } from '../../src/events/index.ts';
import { startWorkers } from '../../src/workers/index.ts';

/** A running document service for tests. */
export interface DocumentKit {
  deps: Deps;
  app: App;
  issuer: TestIssuer;
  s3: TestS3;
  /** Starts the render worker and the reconciler (which runs a pass at once). */
  startWorkers(): Promise<void>;
  /** Publishes `invoicing.invoice.issued.v1` as invoicing's relay would. */
  publishIssued(
    orgId: string,
    invoice: InvoiceSnapshot,
    eventId?: string,
  ): Promise<EventEnvelope<InvoiceIssued>>;
  /** Every stored event of the DOCUMENT stream with the given type. */
  documentEvents(type: string): Promise<EventEnvelope<Record<string, unknown>>[]>;
  close(): Promise<void>;
}

/** Starts everything but the workers (call `startWorkers` when the test wants them). */
export async function startDocumentKit(): Promise<DocumentKit> {
  const infra = await infrastructure();
  const namespace = testNamespace();
  const [database, s3, issuer] = await Promise.all([createTestDatabase(), startS3(), startTestIssuer()]);
  const deps = await createDeps(kitConfig(infra, namespace, database, s3, issuer), silentLogger());
  await migrate(deps.orm);
  await deps.storage.ensureBucket();
  await deps.bus.ensureStreams();
  const stopConsumers = await startConsumers(deps.bus, consumers(deps), { ackWaitMs: 5_000 });
  const relay = new OutboxRelay(deps.orm, deps.bus, deps.logger, { idleMs: 20 });
  relay.start();
  const app = await buildApp(deps);
  const workerStoppers: Stopper[] = [];

  return {
    deps,
    app,
    issuer,
    s3,
    async startWorkers() {
      workerStoppers.push(...(await startWorkers(deps)));
    },
    async publishIssued(orgId, invoice, eventId) {
      const envelope = createEnvelope({
        type: Subjects.InvoiceIssued,
        source: 'invoicing',
        orgId,
        subject: invoice.id,
        data: { invoice },
        ...(eventId ? { id: eventId } : {}),
      });
      await deps.bus.publish(envelope);
      return envelope;
    },
    documentEvents: (type) => readStreamEvents(deps.bus, type),
    async close() {
      await app.close();
      for (const stop of workerStoppers) await stop();
      await stopConsumers();
      await relay.stop();
      await deps.renderQueue.obliterate({ force: true }).catch(() => undefined);
      await closeClients(deps);
      await deps.bus.close();
      await deps.orm.close();
      await deleteNamespaceStreams(infra.natsUrl, namespace).catch(() => undefined);
      await Promise.all([database.drop(), s3.stop(), issuer.stop()]);
    },
  };
}

function kitConfig(
  infra: { natsUrl: string; redisUrl: string },
  namespace: string,
  database: TestDatabase,
  s3: TestS3,
  issuer: TestIssuer,
) {
  return readConfig({
    DATABASE_URL: database.url,
    NATS_URL: infra.natsUrl,
    NATS_NAMESPACE: namespace,
    REDIS_URL: infra.redisUrl,
    QUEUE_PREFIX: namespace,
    S3_ENDPOINT: s3.options.endpoint,
    S3_REGION: s3.options.region,
    S3_BUCKET: s3.options.bucket,
    S3_ACCESS_KEY_ID: s3.options.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.options.secretAccessKey,
    AUTH_JWKS_URL: issuer.jwksUrl,
    LOG_LEVEL: 'silent',
    // Tests run reconciliation passes themselves; the timer must not race them.
    RECONCILE_INTERVAL_MS: '600000',
  });
}

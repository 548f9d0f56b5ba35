/**
 * One running invoicing service per test file, against the real Postgres and NATS: a fresh database,
 * a NATS namespace of its own, the consumers and the outbox relay running, and a stand-in token issuer.
 */
import type { EventEnvelope } from '@invoice/contracts';
import { startConsumers, type Bus } from '@invoice/platform-bus';
import { migrate, type MikroORM } from '@invoice/platform-db';
import type { App } from '@invoice/platform-http';
import { OutboxRelay } from '@invoice/platform-outbox';
import {
  createTestDatabase,
  deleteNamespaceStreams,
  infrastructure,
  readStreamEvents,
  silentLogger,
  startTestIssuer,
  testNamespace,
  waitFor,
} from '@invoice/platform-testing';
import { buildApp } from '../../src/app.ts';
import { readConfig, type Config } from '../../src/config.ts';
import { connect, serviceDeps, type ServiceDeps } from '../../src/deps.ts';
import { consumers } from '../../src/events/index.ts';

/** The running service and its handles. */
export interface Harness {
  app: App;
  deps: ServiceDeps;
  bus: Bus;
  orm: MikroORM;
  config: Config;
  /** A bearer token for a user of `orgId`. */
  token(orgId: string): Promise<string>;
  /** Every event of `type` on the namespace's stream so far (reads the stream from the start). */
  events<T = unknown>(type: string): Promise<EventEnvelope<T>[]>;
  close(): Promise<void>;
}

/** Starts the service; call `close()` in `after`. */
export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const infra = await infrastructure();
  const db = await createTestDatabase();
  const namespace = testNamespace();
  const issuer = await startTestIssuer();
  const logger = silentLogger();
  const config = readConfig({
    DATABASE_URL: db.url,
    NATS_URL: infra.natsUrl,
    NATS_NAMESPACE: namespace,
    AUTH_JWKS_URL: issuer.jwksUrl,
    LOG_LEVEL: 'silent',
    RPC_TIMEOUT_MS: '500',
    ...env,
  });
  const { orm, bus } = await connect(config, logger);
  await migrate(orm);
  await bus.ensureStreams();
  const deps = serviceDeps({ config, logger, orm, bus });
  const app = await buildApp(deps);
  const stopConsumers = await startConsumers(bus, consumers({ orm }), { ackWaitMs: 5_000 });
  const relay = new OutboxRelay(orm, bus, logger, { idleMs: 20 });
  relay.start();

  return {
    app,
    deps,
    bus,
    orm,
    config,
    token: (orgId) => issuer.sign({ orgId, role: 'owner', permissions: [] }),
    events: (type) => readStreamEvents(bus, type),
    async close() {
      await app.close();
      await stopConsumers();
      await relay.stop();
      await bus.close();
      await orm.close();
      await deleteNamespaceStreams(infra.natsUrl, namespace);
      await db.drop();
      await issuer.stop();
    },
  };
}

/** Waits until the events of `type` about `subject` (the aggregate id) reach `count`; returns them. */
export async function waitForEvents<T>(
  harness: Harness,
  type: string,
  subject: string,
  count = 1,
): Promise<EventEnvelope<T>[]> {
  return waitFor(
    async () => {
      const events = (await harness.events<T>(type)).filter((event) => event.subject === subject);
      return events.length >= count ? events : undefined;
    },
    { timeoutMs: 15_000, what: `${count} ${type} events about ${subject}` },
  );
}

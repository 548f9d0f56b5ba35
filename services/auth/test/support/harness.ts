/**
 * The auth app against a fresh database and a NATS namespace of its own, with the outbox relay run on
 * demand so tests read published events from the namespaced AUTH stream.
 */
import { randomBytes } from 'node:crypto';
import { Streams, type EventEnvelope } from '@invoice/contracts';
import { Bus } from '@invoice/platform-bus';
import { migrate, type MikroORM } from '@invoice/platform-db';
import type { App } from '@invoice/platform-http';
import { OutboxRelay } from '@invoice/platform-outbox';
import {
  createTestDatabase,
  deleteNamespaceStreams,
  infrastructure,
  silentLogger,
  testNamespace,
  type TestDatabase,
} from '@invoice/platform-testing';
import { buildApp, type AppDeps } from '../../src/app.ts';
import { readConfig, type Config } from '../../src/config.ts';
import { openAuthOrm } from '../../src/db/orm.ts';

/** A running test instance of the auth service. */
export interface Harness {
  app: App;
  orm: MikroORM;
  bus: Bus;
  config: Readonly<Config>;
  db: TestDatabase;
  /** Publishes pending outbox rows, then returns every event in the stream (optionally of one type). */
  events<T = unknown>(type?: string): Promise<EventEnvelope<T>[]>;
  close(): Promise<void>;
}

/** Starts the harness; `env` overrides configuration variables, `options` app dependencies. */
export async function startHarness(
  env: Record<string, string> = {},
  options: Pick<AppDeps, 'keyCache'> = {},
): Promise<Harness> {
  const { natsUrl } = await infrastructure();
  const db = await createTestDatabase();
  const namespace = testNamespace();
  const logger = silentLogger();
  const config = readConfig({
    DATABASE_URL: db.url,
    NATS_URL: natsUrl,
    NATS_NAMESPACE: namespace,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const orm = await openAuthOrm(db.url);
  await migrate(orm);
  const bus = await Bus.connect({ url: natsUrl, namespace, name: 'auth-test', logger });
  await bus.ensureStreams([Streams.AUTH]);
  const relay = new OutboxRelay(orm, bus, logger);
  const app = await buildApp({ config, logger, orm, ...options });

  async function events<T>(type?: string): Promise<EventEnvelope<T>[]> {
    while ((await relay.relayOnce()) > 0);
    const stream = bus.streamName(Streams.AUTH);
    const info = await bus.jsm.streams.info(stream);
    const all: EventEnvelope<T>[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      const message = await bus.jsm.streams.getMessage(stream, { seq });
      if (message) all.push(message.json<EventEnvelope<T>>());
    }
    return type ? all.filter((event) => event.type === type) : all;
  }

  return {
    app,
    orm,
    bus,
    config,
    db,
    events,
    async close() {
      await app.close();
      await bus.close();
      await orm.close();
      await deleteNamespaceStreams(natsUrl, namespace);
      await db.drop();
    },
  };
}

/** A valid sign-up body with a unique email; fields can be overridden. */
export function signupBody(
  overrides: Partial<Record<'organizationName' | 'name' | 'email' | 'password', string>> = {},
) {
  const unique = randomBytes(4).toString('hex');
  return {
    organizationName: `Acme ${unique}`,
    name: 'Ada Lovelace',
    email: `ada.${unique}@example.com`,
    password: 'correct horse 42',
    ...overrides,
  };
}

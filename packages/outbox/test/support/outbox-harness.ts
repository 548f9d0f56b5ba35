/**
 * A real outbox setup for one test file: a fresh database with the outbox tables and a `things`
 * table (the "state change"), an ORM, and a Bus on its own namespace. Everything talks to the real
 * Postgres and NATS servers.
 */
import {
  createEnvelope,
  newId,
  Streams,
  Subjects,
  type EventEnvelope,
  type ClientUpserted,
} from '@invoice/contracts';
import { Bus } from '@invoice/platform-bus';
import {
  createOrm,
  defineEntity,
  migrate,
  Migration,
  p,
  type EntityManager,
  type MikroORM,
} from '@invoice/platform-db';
import type { Logger } from '@invoice/platform-logger';
import {
  createTestDatabase,
  deleteNamespaceStreams,
  infrastructure,
  silentLogger,
  testNamespace,
  type TestDatabase,
} from '@invoice/platform-testing';
import { enqueueEvent, outboxEntities, outboxTablesSql } from '../../src/index.ts';

/** Schema the test ORM works in (like a service schema). */
export const TEST_SCHEMA = 'outbox_test';

/** The test's aggregate: creating one enqueues a `catalog.client.upserted.v1`. */
export const Thing = defineEntity({
  name: 'Thing',
  tableName: 'things',
  properties: {
    id: p.uuid().primary(),
    name: p.text(),
  },
});

class MigrationTestInit extends Migration {
  override async up(): Promise<void> {
    for (const sql of outboxTablesSql()) this.addSql(sql);
    this.addSql(`create table things (id uuid primary key, name text not null)`);
    // A consumer's effect; deliberately without a unique key, so a repeated effect shows up as rows.
    this.addSql(
      `create table effects (event_id uuid not null, consumer text not null, at timestamptz not null default now())`,
    );
  }
}

/** The stream the test events land in. */
export const TEST_STREAM = Streams.CATALOG;

/** Opens an ORM on the test database (call twice for two "replicas"). */
export function openOrm(url: string, poolMax = 5): Promise<MikroORM> {
  return createOrm({
    url,
    schema: TEST_SCHEMA,
    entities: [...outboxEntities, Thing],
    migrations: [{ name: 'Migration20261125000000_init', class: MigrationTestInit }],
    poolMax,
  });
}

/** A valid event about a thing. */
export function thingEvent(thingId: string, name: string): EventEnvelope<ClientUpserted> {
  return createEnvelope({
    type: Subjects.ClientUpserted,
    source: 'outbox-test',
    orgId: newId(),
    subject: thingId,
    data: { client: { id: thingId, name, version: 1 } },
  });
}

/** The unit of work of a "request": insert a thing and enqueue its event in one transaction. */
export async function createThing(em: EntityManager, name: string): Promise<EventEnvelope<ClientUpserted>> {
  const id = newId();
  em.create(Thing, { id, name });
  const event = thingEvent(id, name);
  await enqueueEvent(em, event);
  await em.flush();
  return event;
}

/** One test file's world. */
export interface Harness {
  db: TestDatabase;
  orm: MikroORM;
  bus: Bus;
  namespace: string;
  natsUrl: string;
  logger: Logger;
  /** Namespaced name of the test stream. */
  streamName: string;
  close(): Promise<void>;
}

/** Creates the database, migrates it, connects the bus and creates the namespace's streams. */
export async function startHarness(options: { natsUrl?: string } = {}): Promise<Harness> {
  const natsUrl = options.natsUrl ?? (await infrastructure()).natsUrl;
  const db = await createTestDatabase();
  const orm = await openOrm(db.url);
  await migrate(orm);
  const namespace = testNamespace();
  const logger = silentLogger();
  const bus = await Bus.connect({ url: natsUrl, namespace, name: 'outbox-test', logger });
  await bus.ensureStreams([TEST_STREAM]);
  return {
    db,
    orm,
    bus,
    namespace,
    natsUrl,
    logger,
    streamName: bus.streamName(TEST_STREAM),
    async close() {
      await bus.close().catch(() => undefined);
      await deleteNamespaceStreams(natsUrl, namespace).catch(() => undefined);
      await orm.close().catch(() => undefined);
      await db.drop();
    },
  };
}

/** Rows of the outbox, oldest first. */
export async function outboxRows(
  orm: MikroORM,
): Promise<{ id: string; published_at: Date | null; attempts: number; last_error: string | null }[]> {
  return orm.em
    .fork()
    .execute(`select id, published_at, attempts, last_error from "${TEST_SCHEMA}".outbox order by seq`);
}

/** Records one effect of `consumer` for an event (inside the consumer's transaction). */
export async function recordEffect(em: EntityManager, consumer: string, eventId: string): Promise<void> {
  await em.execute(`insert into "${TEST_SCHEMA}".effects (event_id, consumer) values (?, ?)`, [
    eventId,
    consumer,
  ]);
}

/** How many effects an event had, and how many inbox rows it left. */
export async function effectsOf(orm: MikroORM, eventId: string): Promise<{ effects: number; inbox: number }> {
  const [row] = await orm.em.fork().execute<{ effects: string; inbox: string }[]>(
    `select (select count(*) from "${TEST_SCHEMA}".effects where event_id = ?) as effects,
            (select count(*) from "${TEST_SCHEMA}".inbox where event_id = ?) as inbox`,
    [eventId, eventId],
  );
  return { effects: Number(row?.effects), inbox: Number(row?.inbox) };
}

/** Count of outbox rows not yet published. */
export async function pendingCount(orm: MikroORM): Promise<number> {
  const [row] = await orm.em
    .fork()
    .execute<{ n: string }[]>(`select count(*) as n from "${TEST_SCHEMA}".outbox where published_at is null`);
  return Number(row?.n ?? 0);
}

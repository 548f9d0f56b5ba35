import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { newId } from '@invoice/contracts';
import { inTransaction, type EntityManager, type MikroORM } from '@invoice/platform-db';
import { waitFor } from '@invoice/platform-testing';
import { eventsCommitted, outboxChannel, OutboxRelay, prepareOutboxRow } from '../src/index.ts';
import {
  createThing,
  openOrm,
  pendingCount,
  startHarness,
  TEST_SCHEMA,
  thingEvent,
  type Harness,
} from './support/outbox-harness.ts';
import { countById, readStream } from './support/stream.ts';

/** Far longer than any wait below: a test that passes cannot have been served by a poll. */
const IDLE_MS = 10_000;
/** How long a woken relay may take here (a shared, busy test machine); far below IDLE_MS. */
const WOKEN_WITHIN_MS = 2_000;

/** Commits one event through `orm` and resolves with how long it took until no row was pending. */
async function commitAndTimeRelay(orm: MikroORM, checkOrm: MikroORM, name: string) {
  const event = await inTransaction(orm, (em) => createThing(em, name));
  const committed = performance.now();
  await waitFor(async () => (await pendingCount(checkOrm)) === 0, {
    timeoutMs: WOKEN_WITHIN_MS,
    intervalMs: 5,
    what: `the relay to publish "${name}" before its ${IDLE_MS} ms poll`,
  });
  return { event, ms: performance.now() - committed };
}

/** A relay that has finished its start-up passes and sleeps for its long idle interval. */
async function sleepingRelay(orm: MikroORM, h: Harness): Promise<OutboxRelay> {
  const relay = new OutboxRelay(orm, h.bus, h.logger, { idleMs: IDLE_MS, listeningIdleMs: IDLE_MS });
  relay.start();
  await waitFor(() => relay.isListening(), { what: 'the relay to LISTEN' });
  await waitFor(async () => (await pendingCount(orm)) === 0, { what: 'start-up passes' });
  // The pass the (re)connection pokes is over well before this.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return relay;
}

/** An outbox row written by a statement of its own, as a service's single-statement write does. */
async function insertOwnRow(em: EntityManager, name: string): Promise<void> {
  const row = prepareOutboxRow(thingEvent(newId(), name));
  await em.execute(`insert into "${TEST_SCHEMA}".outbox (id, subject, payload) values (?, ?, ?::jsonb)`, [
    row.id,
    row.subject,
    row.payload,
  ]);
}

/** Waits until nothing is pending, well before the poll; resolves with how long it took. */
async function timeUntilRelayed(orm: MikroORM, what: string): Promise<number> {
  const started = performance.now();
  await waitFor(async () => (await pendingCount(orm)) === 0, {
    timeoutMs: WOKEN_WITHIN_MS,
    intervalMs: 5,
    what: `the relay to publish ${what} before its ${IDLE_MS} ms poll`,
  });
  return performance.now() - started;
}

describe('relay woken by commits', () => {
  let h: Harness;
  let relayOrm: MikroORM;
  let spy: pg.Client;
  const notified: string[] = [];

  before(async () => {
    h = await startHarness();
    // The relay's own "process": an ORM of its own, so h.orm's commits reach it only by NOTIFY.
    relayOrm = await openOrm(h.db.url);
    spy = new pg.Client({ connectionString: h.db.url });
    await spy.connect();
    spy.on('notification', (message) => notified.push(message.channel));
    await spy.query(`listen "${outboxChannel(TEST_SCHEMA)}"`);
  });
  after(async () => {
    await spy.end().catch(() => undefined);
    await relayOrm.close().catch(() => undefined);
    await h.close();
  });

  it('wakes on the NOTIFY of a commit in another process, long before its poll interval', async () => {
    const relay = await sleepingRelay(relayOrm, h);
    try {
      const { event, ms } = await commitAndTimeRelay(h.orm, relayOrm, 'notified');
      assert.ok(ms < WOKEN_WITHIN_MS, `published ${Math.round(ms)} ms after the commit`);
      const counts = countById(await readStream(h.bus, h.streamName));
      assert.equal(counts.get(event.id), 1, 'the event is in the stream once');
      assert.ok(notified.length > 0, 'the commit was announced on the channel');
    } finally {
      await relay.stop();
    }
  });

  it('is poked directly by commits in its own process, without a NOTIFY', async () => {
    const relay = await sleepingRelay(relayOrm, h);
    try {
      notified.length = 0;
      const { ms } = await commitAndTimeRelay(relayOrm, relayOrm, 'in process');
      assert.ok(ms < WOKEN_WITHIN_MS, `published ${Math.round(ms)} ms after the commit`);
      // A NOTIFY would have arrived by now (it is sent right after the commit).
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(notified, [], 'no NOTIFY when a relay of the schema runs in the process');
    } finally {
      await relay.stop();
    }
  });

  it('wakes on the outer commit when the event was enqueued in a nested transaction', async () => {
    const relay = await sleepingRelay(relayOrm, h);
    try {
      await inTransaction(relayOrm, (em) => em.transactional((inner) => createThing(inner, 'nested')));
      await waitFor(async () => (await pendingCount(relayOrm)) === 0, {
        timeoutMs: WOKEN_WITHIN_MS,
        intervalMs: 5,
        what: 'the nested event to be published before the poll',
      });
    } finally {
      await relay.stop();
    }
  });

  it('listens again after its connection is killed, and wakes on the next commit', async () => {
    const relay = await sleepingRelay(relayOrm, h);
    try {
      const terminated = await h.orm.em.fork().execute<{ ok: boolean }[]>(
        `select pg_terminate_backend(pid) as ok from pg_stat_activity
           where datname = current_database() and query = ? and pid <> pg_backend_pid()
             and pid <> ?`,
        [`listen "${outboxChannel(TEST_SCHEMA)}"`, (spy as unknown as { processID: number }).processID],
      );
      assert.equal(terminated.length, 1, 'the relay had one LISTEN connection');
      await waitFor(() => !relay.isListening(), { what: 'the relay to notice' });
      // It reconnects after a second; meanwhile it would poll every idleMs (10 s here).
      await waitFor(() => relay.isListening(), { timeoutMs: 5_000, what: 'the relay to listen again' });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const { ms } = await commitAndTimeRelay(h.orm, relayOrm, 'after reconnect');
      assert.ok(ms < WOKEN_WITHIN_MS, `published ${Math.round(ms)} ms after the commit`);
    } finally {
      await relay.stop();
    }
  });

  it('stops promptly although it sleeps for its long idle interval', async () => {
    const relay = await sleepingRelay(relayOrm, h);
    const started = Date.now();
    await relay.stop();
    assert.ok(Date.now() - started < 1_000, `stopped after ${Date.now() - started} ms`);
    assert.equal(relay.isListening(), false);
  });

  it('wakes for rows a statement wrote on its own once told with eventsCommitted (by NOTIFY)', async () => {
    const relay = await sleepingRelay(relayOrm, h);
    try {
      const em = h.orm.em.fork();
      await insertOwnRow(em, 'own statement');
      eventsCommitted(em);
      const ms = await timeUntilRelayed(relayOrm, 'a row of its own statement');
      assert.ok(ms < WOKEN_WITHIN_MS, `published ${Math.round(ms)} ms after the statement`);
    } finally {
      await relay.stop();
    }
  });

  it('pokes the relay of the process for rows a statement wrote on its own, without a NOTIFY', async () => {
    const relay = await sleepingRelay(relayOrm, h);
    try {
      notified.length = 0;
      const em = relayOrm.em.fork();
      await insertOwnRow(em, 'own statement, same process');
      eventsCommitted(em);
      await timeUntilRelayed(relayOrm, 'a row of its own statement');
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(notified, [], 'no NOTIFY when a relay of the schema runs in the process');
    } finally {
      await relay.stop();
    }
  });

  it('waits for the commit when eventsCommitted is called inside a transaction', async () => {
    const relay = await sleepingRelay(relayOrm, h);
    try {
      await inTransaction(h.orm, async (em) => {
        await insertOwnRow(em, 'own statement in a transaction');
        eventsCommitted(em);
        // Not committed yet: the relay has nothing to see, so nothing may be published.
        await new Promise((resolve) => setTimeout(resolve, 100));
      });
      await timeUntilRelayed(relayOrm, 'the committed row');
    } finally {
      await relay.stop();
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { validateEvent } from '@invoice/contracts';
import { inTransaction } from '@invoice/platform-db';
import { waitFor } from '@invoice/platform-testing';
import { OutboxRelay } from '../src/index.ts';
import {
  createThing,
  outboxRows,
  pendingCount,
  startHarness,
  TEST_SCHEMA,
  type Harness,
} from './support/outbox-harness.ts';
import { countById, readStream, streamMessageCount } from './support/stream.ts';

describe('outbox relay', () => {
  let h: Harness;
  let relay: OutboxRelay;

  before(async () => {
    h = await startHarness();
    relay = new OutboxRelay(h.orm, h.bus, h.logger, { batchSize: 50 });
  });
  after(async () => {
    await relay.stop();
    await h.close();
  });

  it('publishes a committed change to JetStream exactly once, with msgID = event id, and marks it sent', async () => {
    const before = await streamMessageCount(h.bus, h.streamName);
    const event = await inTransaction(h.orm, (em) => createThing(em, 'committed'));

    assert.equal(await relay.relayOnce(), 1);
    assert.equal(await relay.relayOnce(), 0, 'a second pass finds nothing pending');

    assert.equal(await streamMessageCount(h.bus, h.streamName), before + 1);
    const stored = (await readStream(h.bus, h.streamName)).filter((m) => m.envelope.id === event.id);
    assert.equal(stored.length, 1);
    assert.equal(stored[0]?.msgId, event.id);
    assert.equal(stored[0]?.subject, h.bus.subject(event.type));
    assert.deepEqual(stored[0]?.envelope, event);
    const row = (await outboxRows(h.orm)).find((r) => r.id === event.id);
    assert.ok(row?.published_at, 'the row is marked published');
  });

  it('publishes nothing for a rolled-back transaction', async () => {
    const before = await streamMessageCount(h.bus, h.streamName);
    let enqueuedId = '';
    await assert.rejects(
      inTransaction(h.orm, async (em) => {
        enqueuedId = (await createThing(em, 'rolled back')).id;
        throw new Error('request failed after enqueueing');
      }),
      /request failed/,
    );

    assert.equal(await relay.relayOnce(), 0);
    assert.ok(enqueuedId);
    assert.equal((await outboxRows(h.orm)).filter((r) => r.id === enqueuedId).length, 0, 'no outbox row');
    const [things] = await h.orm.em
      .fork()
      .execute<{ n: string }[]>(
        `select count(*) as n from "${TEST_SCHEMA}".things where name = 'rolled back'`,
      );
    assert.equal(Number(things?.n), 0, 'no state change either');
    assert.equal(await streamMessageCount(h.bus, h.streamName), before);
  });

  it('does not duplicate events a dead relay published but never marked (JetStream msgID dedup)', async () => {
    const before = await streamMessageCount(h.bus, h.streamName);
    const events = await inTransaction(h.orm, async (em) => [
      await createThing(em, 'a'),
      await createThing(em, 'b'),
      await createThing(em, 'c'),
    ]);
    // What a relay does before it marks: publish each pending row's envelope. Then it "dies".
    for (const event of events) assert.equal((await h.bus.publish(event)).duplicate, false);
    assert.equal(await pendingCount(h.orm), 3, 'rows are still unmarked');

    assert.equal(await relay.relayOnce(), 3, 'the next relay republishes them');

    assert.equal(await streamMessageCount(h.bus, h.streamName), before + 3);
    const counts = countById(await readStream(h.bus, h.streamName));
    for (const event of events) assert.equal(counts.get(event.id), 1, `event ${event.id} stored once`);
    assert.equal(await pendingCount(h.orm), 0, 'rows are marked');
  });

  it('does not duplicate events when the relay transaction fails after publishing and before marking', async () => {
    const before = await streamMessageCount(h.bus, h.streamName);
    const events = await inTransaction(h.orm, async (em) => [
      await createThing(em, 'd'),
      await createThing(em, 'e'),
    ]);
    // The marking UPDATE fails, so the relay's transaction rolls back after JetStream stored the batch.
    const em = h.orm.em.fork();
    await em.execute(
      `create function "${TEST_SCHEMA}".crash_before_marking() returns trigger language plpgsql as $$
       begin raise exception 'relay crashed before marking'; end $$`,
    );
    await em.execute(
      `create trigger crash_before_marking before update of published_at on "${TEST_SCHEMA}".outbox
       for each row when (new.published_at is not null) execute function "${TEST_SCHEMA}".crash_before_marking()`,
    );
    await assert.rejects(relay.relayOnce(), /relay crashed before marking/);
    assert.equal(await streamMessageCount(h.bus, h.streamName), before + 2, 'the batch reached JetStream');
    assert.equal(await pendingCount(h.orm), 2, 'but no row was marked');

    await em.execute(`drop trigger crash_before_marking on "${TEST_SCHEMA}".outbox`);
    assert.equal(await relay.relayOnce(), 2);

    assert.equal(
      await streamMessageCount(h.bus, h.streamName),
      before + 2,
      'the republish was dropped as duplicate',
    );
    const counts = countById(await readStream(h.bus, h.streamName));
    for (const event of events) assert.equal(counts.get(event.id), 1);
    assert.equal(await pendingCount(h.orm), 0);
  });

  it('relays in the background loop, woken by poke, and stops promptly', async () => {
    const before = await streamMessageCount(h.bus, h.streamName);
    const loop = new OutboxRelay(h.orm, h.bus, h.logger, { idleMs: 5_000 });
    loop.start();
    try {
      // Let the loop reach its idle sleep, then commit and poke (as a service does after a commit).
      await waitFor(async () => (await pendingCount(h.orm)) === 0);
      await inTransaction(h.orm, async (em) => {
        for (let i = 0; i < 5; i += 1) await createThing(em, `loop ${i}`);
      });
      loop.poke();
      await waitFor(async () => (await pendingCount(h.orm)) === 0, {
        timeoutMs: 3_000,
        what: 'poked relay to drain',
      });
    } finally {
      const started = Date.now();
      await loop.stop();
      assert.ok(Date.now() - started < 1_000, 'stop does not wait for the idle interval');
    }
    assert.equal(await streamMessageCount(h.bus, h.streamName), before + 5);
  });

  it('stops at once when stopped in the middle of a pass', async () => {
    const loop = new OutboxRelay(h.orm, h.bus, h.logger, { idleMs: 10_000 });
    loop.start(); // the first pass is now in flight
    const started = Date.now();
    await loop.stop();
    assert.ok(
      Date.now() - started < 2_000,
      `stopped after ${Date.now() - started} ms, not after the idle interval`,
    );
  });

  it('purges rows published longer ago than the retention, and never unpublished ones', async () => {
    const published = await h.orm.em.fork().transactional((em) => createThing(em, 'old'));
    await relay.relayOnce();
    const pending = await h.orm.em.fork().transactional((em) => createThing(em, 'pending'));
    const em = h.orm.em.fork();
    await em.execute(
      `update ${TEST_SCHEMA}.outbox set published_at = now() - interval '8 days' where id = ?`,
      [published.id],
    );
    await em.execute(
      `update ${TEST_SCHEMA}.outbox set created_at = now() - interval '30 days' where id = ?`,
      [pending.id],
    );
    assert.equal(await relay.purgePublished(7), 1);
    const ids = (await em.execute<{ id: string }[]>(`select id from ${TEST_SCHEMA}.outbox`)).map(
      (row) => row.id,
    );
    assert.ok(!ids.includes(published.id));
    assert.ok(ids.includes(pending.id));
  });

  it('forgets inbox rows older than the retention and keeps recent ones', async () => {
    const em = h.orm.em.fork();
    const [old, recent] = [crypto.randomUUID(), crypto.randomUUID()];
    await em.execute(
      `insert into ${TEST_SCHEMA}.inbox (consumer, event_id, processed_at) values ('c', ?, now() - interval '31 days'), ('c', ?, now())`,
      [old, recent],
    );
    assert.equal(await relay.purgeInbox(30), 1);
    const ids = (await em.execute<{ event_id: string }[]>(`select event_id from ${TEST_SCHEMA}.inbox`)).map(
      (r) => r.event_id,
    );
    assert.ok(!ids.includes(old));
    assert.ok(ids.includes(recent));
  });

  it('every event in the stream validates against its contract schema', async () => {
    const stored = await readStream(h.bus, h.streamName);
    assert.ok(stored.length >= 11);
    for (const message of stored) {
      assert.deepEqual(
        validateEvent(h.bus.unprefix(message.subject), message.envelope),
        [],
        `event ${message.envelope.id}`,
      );
    }
  });
});

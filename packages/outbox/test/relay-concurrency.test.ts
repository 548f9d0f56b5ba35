import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Bus } from '@invoice/platform-bus';
import { inTransaction, type MikroORM } from '@invoice/platform-db';
import { waitFor } from '@invoice/platform-testing';
import { OutboxRelay } from '../src/index.ts';
import { createThing, openOrm, pendingCount, startHarness, type Harness } from './support/outbox-harness.ts';
import { countById, readStream, streamMessageCount } from './support/stream.ts';

const EVENTS = 500;

/** A relay that counts what it published, like one replica of a service's relay role. */
class CountingRelay extends OutboxRelay {
  published = 0;

  override async relayOnce(): Promise<number> {
    const count = await super.relayOnce();
    this.published += count;
    return count;
  }
}

describe('two relays running at once', () => {
  let h: Harness;
  let secondOrm: MikroORM;
  let secondBus: Bus;

  before(async () => {
    h = await startHarness();
    secondOrm = await openOrm(h.db.url);
    secondBus = await Bus.connect({
      url: h.natsUrl,
      namespace: h.namespace,
      name: 'outbox-test-2',
      logger: h.logger,
    });
  });
  after(async () => {
    await secondBus.close().catch(() => undefined);
    await secondOrm.close().catch(() => undefined);
    await h.close();
  });

  it('publish every event exactly once between them', async () => {
    const ids: string[] = [];
    for (let chunk = 0; chunk < EVENTS / 100; chunk += 1) {
      await inTransaction(h.orm, async (em) => {
        for (let i = 0; i < 100; i += 1) ids.push((await createThing(em, `thing ${chunk}-${i}`)).id);
      });
    }
    assert.equal(await pendingCount(h.orm), EVENTS);

    // Two replicas: separate ORMs (connection pools) and separate NATS connections; small batches
    // so both get their share.
    const relays = [
      new CountingRelay(h.orm, h.bus, h.logger, { batchSize: 20, idleMs: 20 }),
      new CountingRelay(secondOrm, secondBus, h.logger, { batchSize: 20, idleMs: 20 }),
    ];
    for (const relay of relays) relay.start();
    try {
      await waitFor(async () => (await pendingCount(h.orm)) === 0, {
        timeoutMs: 15_000,
        what: 'outbox drained',
      });
    } finally {
      await Promise.all(relays.map((relay) => relay.stop()));
    }

    assert.equal(await streamMessageCount(h.bus, h.streamName), EVENTS);
    const counts = countById(await readStream(h.bus, h.streamName));
    assert.equal(counts.size, EVENTS);
    for (const id of ids) assert.equal(counts.get(id), 1, `event ${id} stored once`);
    // Row locks (SKIP LOCKED) split the work; neither relay published a row the other one had.
    assert.equal(relays[0]!.published + relays[1]!.published, EVENTS, 'no row was published by both');
    assert.ok(
      relays[0]!.published > 0 && relays[1]!.published > 0,
      `both relays worked: ${relays[0]!.published}/${relays[1]!.published}`,
    );
  });
});

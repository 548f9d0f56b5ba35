import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inTransaction } from '@invoice/platform-db';
import { waitFor } from '@invoice/platform-testing';
import { OutboxRelay } from '../src/index.ts';
import { createThing, pendingCount, startHarness, type Harness } from './support/outbox-harness.ts';
import { memoryLogger } from '@invoice/platform-testing';
import { startPrivateNats, type PrivateNats } from './support/nats-server.ts';
import { countById, readStream, streamMessageCount } from './support/stream.ts';

describe('relay while NATS is down', () => {
  let nats: PrivateNats;
  let h: Harness;

  before(async () => {
    nats = await startPrivateNats();
    h = await startHarness({ natsUrl: nats.url });
  });
  after(async () => {
    await h?.close();
    await nats?.dispose();
  });

  it('publishes the events committed during the outage once NATS is back', async () => {
    const { logger, lines } = memoryLogger();
    const relay = new OutboxRelay(h.orm, h.bus, logger, { idleMs: 50, maxBackoffMs: 1_000 });
    relay.start();
    try {
      const first = await inTransaction(h.orm, (em) => createThing(em, 'before outage'));
      await waitFor(async () => (await pendingCount(h.orm)) === 0, { what: 'first event relayed' });

      await nats.kill();
      const during = await inTransaction(h.orm, async (em) => {
        const events = [];
        for (let i = 0; i < 5; i += 1) events.push(await createThing(em, `during outage ${i}`));
        return events;
      });
      await waitFor(() => lines.some((line) => line.msg === 'outbox relay failed; will retry'), {
        what: 'relay to report the outage',
      });
      // Longer than the backoff cap, so the relay has backed off as far as it goes.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      assert.equal(await pendingCount(h.orm), 5, 'nothing is marked while NATS is down');
      assert.equal(h.bus.isReady(), false, 'the bus reports not ready while NATS is down');

      await nats.start();
      const restarted = Date.now();
      await waitFor(async () => (await pendingCount(h.orm)) === 0, {
        timeoutMs: 20_000,
        what: 'outbox drained after NATS returned',
      });
      // Reconnect wait (500 ms) + JetStream start + at most one capped backoff.
      assert.ok(Date.now() - restarted < 5_000, `recovered in ${Date.now() - restarted} ms`);
      assert.equal(h.bus.isReady(), true);

      assert.equal(await streamMessageCount(h.bus, h.streamName), 6);
      const counts = countById(await readStream(h.bus, h.streamName));
      for (const event of [first, ...during])
        assert.equal(counts.get(event.id), 1, `event ${event.id} stored once`);
      const failures = lines.filter((line) => line.msg === 'outbox relay failed; will retry');
      assert.ok(failures.length > 0, 'the failure was logged');
      const delays = failures.map((line) => Number(line.retryInMs));
      assert.deepEqual(delays.slice(0, 3), [200, 400, 800], 'backoff doubles');
      assert.ok(
        delays.every((delay) => delay <= 1_000),
        `backoff is capped: ${delays.join(',')}`,
      );
    } finally {
      await relay.stop();
    }
  });
});

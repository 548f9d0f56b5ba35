/**
 * The recurring scheduler's BullMQ wake-up: the job scheduler wakes it, and after this service's
 * queue keys are flushed (its namespace only) a running replica puts the schedule back, so the next
 * occurrence is still created, once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { startServiceHarness, waitFor } from '@invoice/platform-testing';
import { service } from '../../src/service.ts';
import { RECURRING_QUEUE } from '../../src/workers/recurring.worker.ts';
import { seedTenant } from '../support/factories.ts';
import type { Harness } from '../support/harness.ts';
import { createRecurring, invoiceCount, invoicesOf, TestClock } from '../support/recurring.ts';

const clock = new TestClock('2026-03-31T09:00:00Z');
let h: Harness;
before(async () => {
  h = (await startServiceHarness(service, {
    env: { RPC_TIMEOUT_MS: '300', RECURRING_WAKE_INTERVAL_MS: '200' },
    adjustDeps: (deps) => ({ ...deps, clock }),
  })) as Harness;
});
after(async () => {
  await h?.close();
});

/** Deletes every key of the recurring queue under this harness's prefix; returns how many. */
async function flushQueue(): Promise<number> {
  const redis = new Redis(h.config.REDIS_URL);
  let deleted = 0;
  try {
    for await (const keys of redis.scanStream({ match: `${h.config.QUEUE_PREFIX}:${RECURRING_QUEUE}:*` })) {
      if ((keys as string[]).length > 0) deleted += await redis.del(...(keys as string[]));
    }
  } finally {
    redis.disconnect();
  }
  return deleted;
}

describe('recurring scheduler worker', () => {
  it('is woken by BullMQ and keeps creating each occurrence once after its queue is flushed', async () => {
    const { client, auth } = await seedTenant(h);
    const recurring = await createRecurring(h, auth, client.id, {
      schedule: { frequency: 'month', startDate: '2026-03-31' },
    });
    await h.startWorkers();
    await waitFor(async () => (await invoiceCount(h, client.id)) === 1 || undefined, {
      timeoutMs: 15_000,
      what: 'the first occurrence, created by a BullMQ wake',
    });

    assert.ok((await flushQueue()) > 0, 'the wake-up schedule was in Redis');
    clock.set('2026-04-30T09:00:00Z');
    await waitFor(async () => (await invoiceCount(h, client.id)) === 2 || undefined, {
      timeoutMs: 15_000,
      what: 'the next occurrence after the flush',
    });
    // Many more wakes on the same day add nothing.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    assert.deepEqual(
      (await invoicesOf(h, recurring.id)).map((row) => row.issueDate),
      ['2026-03-31', '2026-04-30'],
    );
    assert.equal(await invoiceCount(h, client.id), 2);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { infrastructure, silentLogger, testNamespace, waitFor } from '@invoice/platform-testing';
import { Reconciler } from '../src/reconciler.ts';

describe('Reconciler: jobs derive from durable state', () => {
  let redis: Redis;
  let queue: Queue;
  const prefix = testNamespace();
  /** The "table": ids of rows still pending, in id order. */
  let pending: string[] = [];

  const reconciler = (batchSize = 500) =>
    new Reconciler({
      name: 'rows',
      queue,
      logger: silentLogger(),
      intervalMs: 60_000,
      batchSize,
      pendingIds: async (afterId, limit) =>
        pending.filter((id) => afterId === undefined || id > afterId).slice(0, limit),
      enqueue: async (id) => {
        await queue.add('work', { id }, { jobId: id });
      },
    });

  before(async () => {
    const { redisUrl } = await infrastructure();
    redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
    queue = new Queue('reconciled', { connection: redis, prefix });
  });

  after(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    redis.disconnect();
  });

  it('adds the job of every pending row that has none, across pages', async () => {
    pending = Array.from({ length: 7 }, (_, i) => `row-${i}`);
    assert.equal(await reconciler(3).runOnce(), 7);
    for (const id of pending) assert.ok(await queue.getJob(id), `job ${id} exists`);
    assert.equal(await reconciler(3).runOnce(), 0, 'a second pass finds every job alive');
    await queue.obliterate({ force: true });
  });

  it('replaces a finished job whose row is still pending, and leaves waiting jobs alone', async () => {
    pending = ['done-1', 'failed-1', 'waiting-1'];
    await queue.add('work', {}, { jobId: 'done-1' });
    await queue.add('work', {}, { jobId: 'failed-1' });
    const workerConnection = new Redis((await infrastructure()).redisUrl, { maxRetriesPerRequest: null });
    const worker = new Worker(
      'reconciled',
      async (job) => {
        if (job.id === 'failed-1') throw new Error('gave up');
      },
      { connection: workerConnection, prefix },
    );
    await waitFor(async () => (await queue.getJob('failed-1'))?.isFailed(), { what: 'failed job' });
    await waitFor(async () => (await queue.getJob('done-1'))?.isCompleted(), { what: 'completed job' });
    await worker.close();
    workerConnection.disconnect();
    await queue.add('work', {}, { jobId: 'waiting-1' });

    assert.equal(await reconciler().runOnce(), 2);
    assert.equal(await (await queue.getJob('done-1'))?.getState(), 'waiting');
    assert.equal(await (await queue.getJob('failed-1'))?.getState(), 'waiting');
    assert.equal(await (await queue.getJob('failed-1'))?.attemptsMade, 0, 'a fresh set of attempts');
    assert.equal(await (await queue.getJob('waiting-1'))?.getState(), 'waiting');
  });

  it('passes never overlap: a second call joins the running pass', async () => {
    pending = ['x-1'];
    const r = reconciler();
    const [first, second] = await Promise.all([r.runOnce(), r.runOnce()]);
    assert.equal(first, 1, 'the pass added the one missing job');
    assert.equal(second, 1, 'the second caller got the same pass, not a pass of its own');
  });
});

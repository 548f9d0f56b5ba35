/**
 * The clean-up as a BullMQ job scheduler: every replica upserts the same scheduler id, so there is
 * one schedule (one job per interval) however many replicas run, and the clean-up's deletes make a
 * repeated or concurrent run harmless.
 */
import {
  closeQueue,
  closeWorker,
  createQueue,
  createWorker,
  scheduleEvery,
  type Queue,
} from '@invoice/platform-queue';
import type { Stopper } from '@invoice/platform-service';
import { cleanUp } from '../application/cleanup.ts';
import type { Deps } from '../deps.ts';

/** The queue of the clean-up. */
export const CLEANUP_QUEUE = 'auth-cleanup';
/** The one scheduler every replica upserts. */
export const CLEANUP_SCHEDULER_ID = 'auth-cleanup';

/** Creates (or updates) the schedule: one job every `intervalMs`. */
export function scheduleCleanup(queue: Queue, intervalMs: number): Promise<void> {
  return scheduleEvery(queue, CLEANUP_SCHEDULER_ID, 'cleanup', intervalMs);
}

/** Schedules the clean-up and starts its worker; the stoppers close the worker, then the queue. */
export async function startWorkers(deps: Deps): Promise<Stopper[]> {
  const connection = { redisUrl: deps.config.REDIS_URL, prefix: deps.config.QUEUE_PREFIX };
  const queue = createQueue(CLEANUP_QUEUE, connection);
  await scheduleCleanup(queue, deps.config.CLEANUP_INTERVAL_MS);
  const worker = createWorker(
    CLEANUP_QUEUE,
    async (job) => {
      const result = await cleanUp(deps.orm, {
        unverifiedAccountTtlDays: deps.config.UNVERIFIED_ACCOUNT_TTL_DAYS,
      });
      deps.logger.info({ jobId: job.id, ...result }, 'auth clean-up done');
      return result;
    },
    { ...connection, logger: deps.logger.child({ component: 'cleanup-worker' }), concurrency: 1 },
  );
  return [() => closeWorker(worker), () => closeQueue(queue)];
}

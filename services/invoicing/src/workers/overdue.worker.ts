/**
 * The overdue scan as a BullMQ job scheduler: every replica upserts the same scheduler id, so there is
 * one schedule (and one job per interval) however many replicas run; the job's deterministic id per
 * run and the scan's own idempotence (skip-locked batches, the once-only status change, one row per
 * reminder) make a repeated or concurrent run harmless.
 */
import {
  closeQueue,
  closeWorker,
  createQueue,
  createWorker,
  scheduleEvery,
  type Queue,
  type Worker,
} from '@invoice/platform-queue';
import type { Stopper } from '@invoice/platform-service';
import type { Deps } from '../deps.ts';
import { scanOverdue } from '../application/overdue-scan.ts';

/** The queue of the overdue scan (one job family). */
export const OVERDUE_QUEUE = 'invoicing-overdue';
/** The one scheduler every replica upserts. */
export const OVERDUE_SCHEDULER_ID = 'overdue-scan';

/** Creates (or updates) the scan's schedule: one job every `intervalMs`. */
export function scheduleOverdueScan(queue: Queue, intervalMs: number): Promise<void> {
  return scheduleEvery(queue, OVERDUE_SCHEDULER_ID, 'scan', intervalMs);
}

/** The worker that runs scans (the clock is the job's own time). */
export function startOverdueWorker(deps: Pick<Deps, 'config' | 'logger' | 'orm' | 'replicas'>): Worker {
  const { config } = deps;
  return createWorker(
    OVERDUE_QUEUE,
    async (job) => {
      const result = await scanOverdue(deps, { now: new Date() });
      deps.logger.debug({ jobId: job.id, ...result }, 'overdue scan done');
      return result;
    },
    {
      redisUrl: config.REDIS_URL,
      prefix: config.QUEUE_PREFIX,
      logger: deps.logger.child({ component: 'overdue-worker' }),
      concurrency: 1,
    },
  );
}

/** Schedules the scan and starts its worker; the stoppers close the worker, then the queue. */
export async function startWorkers(deps: Deps): Promise<Stopper[]> {
  const queue = createQueue(OVERDUE_QUEUE, {
    redisUrl: deps.config.REDIS_URL,
    prefix: deps.config.QUEUE_PREFIX,
  });
  await scheduleOverdueScan(queue, deps.config.OVERDUE_SCAN_INTERVAL_MS);
  const worker = startOverdueWorker(deps);
  return [() => closeWorker(worker), () => closeQueue(queue)];
}

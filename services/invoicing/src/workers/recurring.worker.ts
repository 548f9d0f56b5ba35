/**
 * The recurring-invoice scheduler's wake-up: a BullMQ job scheduler (one schedule however many
 * replicas upsert it) whose job runs one wake (application/recurring-scheduler.ts). The job carries
 * nothing: what is due lives in Postgres, so a lost, repeated or concurrent wake changes nothing, and
 * each replica re-upserts the schedule every interval so a flushed Redis gets it back.
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
import { runRecurring } from '../application/recurring-scheduler.ts';

/** The queue of the scheduler's wake-ups (one job family). */
export const RECURRING_QUEUE = 'invoicing-recurring';
/** The one job scheduler every replica upserts. */
export const RECURRING_SCHEDULER_ID = 'recurring-wake';

type WorkerDeps = Pick<Deps, 'config' | 'logger' | 'orm' | 'replicas' | 'clock'>;

/** Creates (or updates) the wake-up schedule: one job every `intervalMs`. */
export function scheduleRecurringWake(queue: Queue, intervalMs: number): Promise<void> {
  return scheduleEvery(queue, RECURRING_SCHEDULER_ID, 'wake', intervalMs);
}

/** The worker that runs wakes, one at a time per replica (replicas split work by skip-locked rows). */
export function startRecurringWorker(deps: WorkerDeps): Worker {
  const { config } = deps;
  return createWorker(
    RECURRING_QUEUE,
    async (job) => {
      const result = await runRecurring(deps, { catchUpLimit: config.RECURRING_CATCH_UP_LIMIT });
      deps.logger.debug({ jobId: job.id, ...result }, 'recurring wake done');
      return result;
    },
    {
      redisUrl: config.REDIS_URL,
      prefix: config.QUEUE_PREFIX,
      logger: deps.logger.child({ component: 'recurring-worker' }),
      concurrency: 1,
    },
  );
}

/** Schedules the wake-ups, keeps the schedule in Redis, and starts the worker. */
export async function startRecurringWorkers(deps: WorkerDeps): Promise<Stopper[]> {
  const queue = createQueue(RECURRING_QUEUE, {
    redisUrl: deps.config.REDIS_URL,
    prefix: deps.config.QUEUE_PREFIX,
  });
  const interval = deps.config.RECURRING_WAKE_INTERVAL_MS;
  await scheduleRecurringWake(queue, interval);
  // Upserting is idempotent; after a Redis flush it recreates the schedule within one interval.
  const keeper = setInterval(() => {
    scheduleRecurringWake(queue, interval).catch((error: unknown) =>
      deps.logger.warn({ err: error }, 'recurring wake schedule not renewed'),
    );
  }, interval);
  keeper.unref();
  const worker = startRecurringWorker(deps);
  return [async () => clearInterval(keeper), () => closeWorker(worker), () => closeQueue(queue)];
}

/**
 * The quote expiry job as a BullMQ job scheduler, like the overdue scan: every replica upserts the
 * same scheduler id (one schedule, one job per interval), and the expiry itself is idempotent (only
 * `sent` quotes past their validity, under skip-locked row locks, each marked expired once).
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
import { expireQuotes } from '../application/quote-decisions.ts';

/** The queue of the quote expiry job (one job family). */
export const QUOTE_EXPIRY_QUEUE = 'invoicing-quote-expiry';
/** The one scheduler every replica upserts. */
export const QUOTE_EXPIRY_SCHEDULER_ID = 'quote-expiry';

/** Creates (or updates) the expiry schedule: one job every `intervalMs`. */
export function scheduleQuoteExpiry(queue: Queue, intervalMs: number): Promise<void> {
  return scheduleEvery(queue, QUOTE_EXPIRY_SCHEDULER_ID, 'expire', intervalMs);
}

/** The worker that expires quotes (the clock is the job's own time). */
export function startQuoteExpiryWorker(deps: Pick<Deps, 'config' | 'logger' | 'orm' | 'replicas'>): Worker {
  const { config } = deps;
  return createWorker(
    QUOTE_EXPIRY_QUEUE,
    async (job) => {
      const result = await expireQuotes(deps, { now: new Date() });
      deps.logger.debug({ jobId: job.id, ...result }, 'quote expiry done');
      return result;
    },
    {
      redisUrl: config.REDIS_URL,
      prefix: config.QUEUE_PREFIX,
      logger: deps.logger.child({ component: 'quote-expiry-worker' }),
      concurrency: 1,
    },
  );
}

/** Schedules the expiry job and starts its worker; the stoppers close the worker, then the queue. */
export async function startQuoteExpiryWorkers(deps: Deps): Promise<Stopper[]> {
  const queue = createQueue(QUOTE_EXPIRY_QUEUE, {
    redisUrl: deps.config.REDIS_URL,
    prefix: deps.config.QUEUE_PREFIX,
  });
  await scheduleQuoteExpiry(queue, deps.config.QUOTE_EXPIRY_INTERVAL_MS);
  const worker = startQuoteExpiryWorker(deps);
  return [() => closeWorker(worker), () => closeQueue(queue)];
}

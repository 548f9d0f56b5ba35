/** The worker role: the send-email worker and the reconciler that keeps its jobs in line with Postgres. */
import { inTransaction } from '@invoice/platform-db';
import { closeWorker, createWorker, Reconciler } from '@invoice/platform-queue';
import type { Stopper } from '@invoice/platform-service';
import type { Deps } from '../deps.ts';
import { pendingEmailIds, queueAllWithDocuments } from '../db/emails.repository.ts';
import { EMAIL_QUEUE, type SendEmailJobData } from './email-queue.ts';
import { sendEmailProcessor } from './send-email.worker.ts';

/**
 * Jobs derive from durable state: every queued email, and every one a crashed worker left in
 * `sending` (untouched for EMAIL_SENDING_STALE_MS), must have a live send job. Each pass first
 * queues the waiting invoice emails whose document is known (a backstop for a lost
 * `document.rendered`), then adds the missing jobs and replaces finished ones of pending rows.
 */
export function emailReconciler(
  deps: Pick<Deps, 'config' | 'orm' | 'queue' | 'enqueuer' | 'logger'>,
): Reconciler {
  const { config, orm } = deps;
  const logger = deps.logger.child({ component: 'email-reconciler' });
  return new Reconciler({
    name: 'emails',
    queue: deps.queue,
    logger,
    intervalMs: config.EMAIL_RECONCILE_INTERVAL_MS,
    async beforePass() {
      const promoted = await inTransaction(orm, (em) => queueAllWithDocuments(em));
      if (promoted.length > 0)
        logger.info({ count: promoted.length }, 'waiting emails queued by the reconciler');
    },
    pendingIds: (afterId, limit) =>
      pendingEmailIds(orm.em.fork(), config.EMAIL_SENDING_STALE_MS, afterId, limit),
    enqueue: (id) => deps.enqueuer.add(id),
  });
}

/** Starts the send-email worker and the reconciler; the stoppers close the reconciler first. */
export async function startWorkers(deps: Deps): Promise<Stopper[]> {
  const { config, logger } = deps;
  const worker = createWorker<SendEmailJobData>(EMAIL_QUEUE, sendEmailProcessor(deps), {
    redisUrl: config.REDIS_URL,
    prefix: config.QUEUE_PREFIX,
    logger: logger.child({ component: 'send-email' }),
    concurrency: config.EMAIL_CONCURRENCY,
  });
  const reconciler = emailReconciler(deps);
  reconciler.start();
  return [() => reconciler.stop(), () => closeWorker(worker)];
}

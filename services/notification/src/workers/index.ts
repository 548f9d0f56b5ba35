/** The worker role: the send-email worker and the reconciler that keeps its jobs in line with Postgres. */
import { closeWorker, createWorker, type Worker } from '@invoice/platform-queue';
import type { Deps } from '../deps.ts';
import { EmailReconciler } from './email-reconciler.ts';
import { EMAIL_QUEUE, type SendEmailJobData } from './email-queue.ts';
import { sendEmailProcessor } from './send-email.worker.ts';

/** The running workers of one process. */
export interface Workers {
  worker: Worker<SendEmailJobData>;
  reconciler: EmailReconciler;
  stop(): Promise<void>;
}

/** Starts the send-email worker and the reconciler. */
export function createWorkers(deps: Deps): Workers {
  const { config, logger } = deps;
  const worker = createWorker<SendEmailJobData>(EMAIL_QUEUE, sendEmailProcessor(deps), {
    redisUrl: config.REDIS_URL,
    prefix: config.QUEUE_PREFIX,
    logger: logger.child({ component: 'send-email' }),
    concurrency: config.EMAIL_CONCURRENCY,
  });
  const reconciler = new EmailReconciler({
    orm: deps.orm,
    queue: deps.queue,
    enqueuer: deps.enqueuer,
    logger: logger.child({ component: 'email-reconciler' }),
    intervalMs: config.EMAIL_RECONCILE_INTERVAL_MS,
    staleSendingMs: config.EMAIL_SENDING_STALE_MS,
  });
  reconciler.start();
  return {
    worker,
    reconciler,
    async stop() {
      await reconciler.stop();
      await closeWorker(worker);
    },
  };
}

/** For runService: starts the workers and returns how to stop them. */
export async function startWorkers(deps: Deps): Promise<(() => Promise<void>)[]> {
  const workers = createWorkers(deps);
  return [() => workers.stop()];
}

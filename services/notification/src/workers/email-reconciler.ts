/**
 * Jobs are derived from durable state: every `queued` email (and every `sending` one a crashed
 * worker left behind) must have a job. Runs at worker start and then periodically; adding a job
 * whose id exists is a no-op, so replicas and the after-commit enqueue never double-send.
 */
import { inTransaction, type MikroORM } from '@invoice/platform-db';
import type { Logger } from '@invoice/platform-logger';
import type { Queue } from '@invoice/platform-queue';
import { findPending, queueAllWithDocuments } from '../db/emails.repository.ts';
import type { EmailEnqueuer } from './email-queue.ts';

const BATCH = 500;

/** Options of the reconciler. */
export interface ReconcilerOptions {
  orm: MikroORM;
  queue: Queue;
  enqueuer: EmailEnqueuer;
  logger: Logger;
  intervalMs: number;
  staleSendingMs: number;
}

/** Re-enqueues pending emails from Postgres. */
export class EmailReconciler {
  private readonly options: ReconcilerOptions;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(options: ReconcilerOptions) {
    this.options = options;
  }

  /** Runs once now, then every interval. */
  start(): void {
    if (this.timer) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.options.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a pass in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One pass; returns how many jobs it added. Passes never overlap. */
  runOnce(): Promise<number> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private tick(): void {
    this.runOnce().catch((error: unknown) =>
      this.options.logger.warn({ err: error }, 'email reconciliation failed'),
    );
  }

  private async pass(): Promise<number> {
    const { orm, logger } = this.options;
    const promoted = await inTransaction(orm, (em) => queueAllWithDocuments(em));
    if (promoted.length > 0)
      logger.info({ count: promoted.length }, 'waiting emails queued by the reconciler');
    let added = 0;
    let afterId: string | undefined;
    for (;;) {
      const pending = await findPending(orm.em.fork(), this.options.staleSendingMs, afterId, BATCH);
      for (const row of pending) {
        if (await this.ensureJob(row.id)) {
          added += 1;
          logger.info({ emailId: row.id, status: row.status }, 'email job re-enqueued by the reconciler');
        }
      }
      afterId = pending.at(-1)?.id;
      if (pending.length < BATCH) return added;
    }
  }

  /**
   * Adds the job unless one is waiting, delayed or active. A finished job of a pending row is
   * replaced: the processor commits every final status before its job finishes, so such a job
   * never got to write (e.g. the database was down) and the email still needs sending.
   */
  private async ensureJob(emailId: string): Promise<boolean> {
    const job = await this.options.queue.getJob(emailId);
    if (job) {
      const state = await job.getState();
      if (state !== 'completed' && state !== 'failed') return false;
      await job.remove();
    }
    await this.options.enqueuer.add(emailId);
    return true;
  }
}

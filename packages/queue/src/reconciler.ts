/**
 * Jobs derive from durable state. A row in Postgres says that work is pending; the BullMQ job
 * (job id = row id) only carries the id. The reconciler runs at worker start and then every
 * interval, pages through the pending rows (keyset, the whole backlog) and makes sure each has a
 * live job:
 *
 * - no job (Redis lost or flushed, or the after-commit enqueue never happened): add it;
 * - a job that is waiting, delayed or active: leave it;
 * - a job that finished (completed or failed) while its row is still pending: its outcome never
 *   reached the row (the processor commits every final status before the job ends), so it is
 *   removed and added afresh, with a full set of attempts.
 *
 * Adding a job whose id exists is a no-op in BullMQ, so replicas, the after-commit enqueue and the
 * reconciler never create a second job for one row. Passes never overlap.
 */
import type { Logger } from '@invoice/platform-logger';
import type { Queue } from 'bullmq';

/** How the reconciler reads the durable state and adds a job. */
export interface ReconcilerOptions {
  /** What it reconciles, for logs (`documents`, `emails`). */
  name: string;
  queue: Queue;
  logger: Logger;
  /** Time between passes. */
  intervalMs: number;
  /** Ids of pending rows after `afterId` in id order, at most `limit`. */
  pendingIds(afterId: string | undefined, limit: number): Promise<string[]>;
  /** Adds the job of a row (job id = row id). */
  enqueue(id: string): Promise<void>;
  /** Runs first in every pass (e.g. to promote rows whose wait is over). */
  beforePass?(): Promise<void>;
  /** Rows per page (default 500). */
  batchSize?: number;
}

/** Keeps a queue in step with the pending rows of a table. */
export class Reconciler {
  private readonly options: ReconcilerOptions;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(options: ReconcilerOptions) {
    this.options = options;
  }

  /** Runs a pass now and then every interval. */
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

  /** One pass (or the one in progress); resolves with how many jobs it added. */
  runOnce(): Promise<number> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private tick(): void {
    this.runOnce().catch((error: unknown) =>
      this.options.logger.warn({ err: error, reconciling: this.options.name }, 'reconciliation pass failed'),
    );
  }

  private async pass(): Promise<number> {
    const { logger, name } = this.options;
    const batch = this.options.batchSize ?? 500;
    await this.options.beforePass?.();
    let added = 0;
    let errors = 0;
    let afterId: string | undefined;
    for (;;) {
      const ids = await this.options.pendingIds(afterId, batch);
      for (const id of ids) {
        try {
          if (await this.ensureJob(id)) added += 1;
        } catch (error) {
          // e.g. another replica re-added the same job a moment earlier; the next pass looks again.
          errors += 1;
          logger.debug({ err: error, id, reconciling: name }, 'could not ensure a job');
        }
      }
      afterId = ids.at(-1);
      if (ids.length < batch) break;
    }
    if (added > 0 || errors > 0)
      logger.info({ reconciling: name, added, errors }, 'pending work re-enqueued');
    return added;
  }

  private async ensureJob(id: string): Promise<boolean> {
    const job = await this.options.queue.getJob(id);
    if (job) {
      const state = await job.getState();
      if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return false;
      await job.remove();
    }
    await this.options.enqueue(id);
    return true;
  }
}

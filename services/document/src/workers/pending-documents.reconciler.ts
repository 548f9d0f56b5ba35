/**
 * Jobs are derived from durable state: every pending document row should have a live render job.
 * The reconciler (on worker start and then periodically) adds the job of each pending row that
 * has none, so a lost or flushed Redis loses no work. Job ids are document ids, so it never
 * duplicates a job; a job that gave up on transient errors is retried, and a finished job whose
 * row is still pending is replaced.
 */
import type { Stopper } from '@invoice/platform-service';
import type { Queue } from '@invoice/platform-queue';
import type { Deps } from '../deps.ts';
import { pendingDocumentIds } from '../db/documents.repository.ts';
import { enqueueRender } from './render-queue.ts';

/** Rows looked at per pass, oldest first; the next pass continues once these are rendered. */
const BATCH = 500;

/** What the reconciler needs. */
export type ReconcileDeps = Pick<Deps, 'orm' | 'renderQueue' | 'logger'>;

/** One pass: returns how many jobs it (re-)enqueued. */
export async function reconcilePendingDocuments(deps: ReconcileDeps): Promise<number> {
  const ids = await pendingDocumentIds(deps.orm.em.fork(), BATCH);
  let enqueued = 0;
  let errors = 0;
  for (const id of ids) {
    try {
      if (await ensureJob(deps.renderQueue, id)) enqueued += 1;
    } catch (error) {
      // e.g. another replica's reconciler retried the same failed job a moment earlier.
      errors += 1;
      deps.logger.debug({ err: error, documentId: id }, 'could not re-enqueue a pending document');
    }
  }
  if (enqueued > 0 || errors > 0) {
    deps.logger.info({ enqueued, errors, pending: ids.length }, 'pending documents reconciled');
  }
  return enqueued;
}

async function ensureJob(queue: Queue, documentId: string): Promise<boolean> {
  const job = await queue.getJob(documentId);
  if (!job) {
    await enqueueRender(queue, documentId);
    return true;
  }
  const state = await job.getState();
  if (state === 'failed') {
    await job.retry('failed');
    return true;
  }
  if (state === 'completed') {
    await job.remove();
    await enqueueRender(queue, documentId);
    return true;
  }
  return false;
}

/** Runs a pass now and every `intervalMs`; passes never overlap. Returns the stopper. */
export function startReconciler(deps: ReconcileDeps, intervalMs: number): Stopper {
  let running: Promise<void> | undefined;
  const pass = () => {
    running ??= reconcilePendingDocuments(deps)
      .then(() => undefined)
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'reconciling pending documents failed'))
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  void pass();
  const timer = setInterval(() => void pass(), intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

/** The worker role's background work: the render worker and the reconciler of pending documents. */
import { Reconciler } from '@invoice/platform-queue';
import type { Stopper } from '@invoice/platform-service';
import type { Deps } from '../deps.ts';
import { pendingDocumentIds } from '../db/documents.repository.ts';
import { startRenderWorker } from './render-pdf.worker.ts';
import { enqueueRender } from './render-queue.ts';

/**
 * Jobs derive from durable state: every pending document must have a live render job. The
 * reconciler adds the job of each pending row that has none (Redis lost or flushed, the
 * after-commit enqueue never happened) and replaces a finished job whose row is still pending.
 */
export function documentReconciler(
  deps: Pick<Deps, 'config' | 'orm' | 'renderQueue' | 'logger'>,
): Reconciler {
  return new Reconciler({
    name: 'documents',
    queue: deps.renderQueue,
    logger: deps.logger.child({ component: 'documents-reconciler' }),
    intervalMs: deps.config.RECONCILE_INTERVAL_MS,
    pendingIds: (afterId, limit) => pendingDocumentIds(deps.orm.em.fork(), afterId, limit),
    enqueue: (id) => enqueueRender(deps.renderQueue, id),
  });
}

/**
 * Starts both; the stoppers close the reconciler first, then let the worker finish its jobs (and
 * stop its render threads).
 */
export async function startWorkers(deps: Deps): Promise<Stopper[]> {
  const renderWorker = startRenderWorker(deps);
  const reconciler = documentReconciler(deps);
  reconciler.start();
  return [() => reconciler.stop(), () => renderWorker.close()];
}

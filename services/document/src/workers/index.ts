/** The worker role's background work: the render worker and the pending-documents reconciler. */
import { closeWorker } from '@invoice/platform-queue';
import type { Stopper } from '@invoice/platform-service';
import type { Deps } from '../deps.ts';
import { startReconciler } from './pending-documents.reconciler.ts';
import { startRenderWorker } from './render-pdf.worker.ts';

/** Starts both; the stoppers close the reconciler first, then let the worker finish its jobs. */
export async function startWorkers(deps: Deps): Promise<Stopper[]> {
  const worker = startRenderWorker(deps);
  const stopReconciler = startReconciler(deps, deps.config.RECONCILE_INTERVAL_MS);
  const stopWorker = () => closeWorker(worker);
  return [stopReconciler, stopWorker];
}

/**
 * The worker role's background work: the import worker and the reconciler of running imports (which
 * also deletes uploaded files once they expire). It runs inside the catalog process like document's
 * render worker (ROLE, see @invoice/platform-service), `IMPORT_CONCURRENCY` imports at once.
 */
import { Reconciler } from '@invoice/platform-queue';
import type { Stopper } from '@invoice/platform-service';
import type { Deps } from '../deps.ts';
import { expiredFiles, pendingImportIds } from '../db/imports.repository.ts';
import { enqueueImport } from './import-queue.ts';
import { startImportWorker, stopImportWorker } from './import.worker.ts';

/**
 * Jobs derive from durable state: every mapped or running import must have a live job. The
 * reconciler adds the job of each that has none (Redis lost or flushed, the enqueue after the run
 * request never happened) and replaces a finished job whose import is still pending; the job
 * resumes after the import's last committed batch.
 */
export function importReconciler(
  deps: Pick<Deps, 'config' | 'orm' | 'importQueue' | 'logger' | 'storage'>,
): Reconciler {
  const logger = deps.logger.child({ component: 'imports-reconciler' });
  return new Reconciler({
    name: 'imports',
    queue: deps.importQueue,
    logger,
    intervalMs: deps.config.RECONCILE_INTERVAL_MS,
    pendingIds: (afterId, limit) => pendingImportIds(deps.orm.em.fork(), afterId, limit),
    enqueue: (id) => enqueueImport(deps.importQueue, id),
    beforePass: async () => {
      await deleteExpiredFiles(deps).catch((err: unknown) =>
        logger.warn({ err }, 'expired import files not deleted'),
      );
    },
  });
}

/** Deletes the stored files whose time is up (IMPORT_FILE_TTL_SECONDS); their imports cannot run any more. */
export async function deleteExpiredFiles(deps: Pick<Deps, 'orm' | 'storage'>): Promise<number> {
  let deleted = 0;
  for (;;) {
    const em = deps.orm.em.fork();
    const rows = await expiredFiles(em, 100);
    if (rows.length === 0) return deleted;
    for (const row of rows) {
      await deps.storage.delete(row.s3Key);
      row.fileDeletedAt = new Date();
      deleted++;
    }
    await em.flush();
  }
}

/** Starts both; the stoppers close the reconciler first, then let the worker finish its batch. */
export async function startWorkers(deps: Deps): Promise<Stopper[]> {
  const worker = startImportWorker(deps);
  const reconciler = importReconciler(deps);
  reconciler.start();
  return [() => reconciler.stop(), () => stopImportWorker(worker)];
}

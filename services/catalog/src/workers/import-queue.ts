/** The `catalog-import` queue: one job per mapped or running import, its id being the import id. */
import type { Queue } from '@invoice/platform-queue';

export const IMPORT_QUEUE = 'catalog-import';

/** Job data: only the id; the worker reads the plan and the resume point from the import row. */
export interface ImportJobData {
  importId: string;
}

/**
 * Adds the job of an import. The job id is the import id, so adding it again while it waits, runs or
 * is kept as finished is a no-op: the run route and the reconciler may both call it.
 */
export async function enqueueImport(queue: Queue, importId: string): Promise<void> {
  await queue.add('import-spreadsheet', { importId } satisfies ImportJobData, {
    jobId: importId,
    attempts: 5,
    backoff: { type: 'exponential', delay: 2_000 },
  });
}

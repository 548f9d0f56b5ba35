/** The `document-render` queue: one job per pending document, its id being the document id. */
import type { Queue } from '@invoice/platform-queue';

export const RENDER_QUEUE = 'document-render';

/** Job data: only the id; the worker reads everything else from the document row. */
export interface RenderJobData {
  documentId: string;
}

/**
 * Adds the render job of a document. The job id is the document id, so adding it again while it
 * waits, runs or is kept as finished is a no-op: the reconciler and the consumer may both call it.
 */
export async function enqueueRender(queue: Queue, documentId: string): Promise<void> {
  await queue.add('render-pdf', { documentId } satisfies RenderJobData, { jobId: documentId });
}

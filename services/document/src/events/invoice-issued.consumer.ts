/**
 * `invoicing.invoice.issued.v1` → a pending document (inbox: once per event) → a render job.
 * The job is enqueued after the commit; if that fails (Redis down, crash), the row is still
 * pending and the reconciler enqueues it, so the event is acknowledged either way.
 */
import { Subjects, newId, type InvoiceIssued, type InvoiceSnapshot } from '@invoice/contracts';
import { PermanentError, type ConsumerDefinition } from '@invoice/platform-bus';
import type { Logger } from '@invoice/platform-logger';
import type { Deps } from '../deps.ts';
import { documentKey } from '../domain/document-key.ts';
import { needsRendering } from '../domain/document-status.ts';
import {
  findSourceVersion,
  insertPendingDocumentOnce,
  type NewDocument,
} from '../db/documents.repository.ts';
import { enqueueRender } from '../workers/render-queue.ts';

export const INVOICE_ISSUED_DURABLE = 'document-invoice-issued';

/**
 * Events handled at once: each is a short transaction and a Redis call, independent of the others
 * (one row per invoice version, unique), so waiting for one round trip at a time would cap the
 * rate instead of the CPU.
 */
const CONCURRENCY = 8;

/** The consumer definition (registered in `events/index.ts`). */
export function invoiceIssuedConsumer(
  deps: Pick<Deps, 'orm' | 'storage' | 'renderQueue'>,
): ConsumerDefinition<InvoiceIssued> {
  return snapshotDocumentConsumer(
    deps,
    INVOICE_ISSUED_DURABLE,
    Subjects.InvoiceIssued,
    (data) => data.invoice,
  );
}

/**
 * A consumer of an event that carries a new version of a document (an issued or voided invoice, a
 * credit note; `snapshotOf` picks it from the data): one pending row per version, then a render job.
 */
export function snapshotDocumentConsumer<T>(
  deps: Pick<Deps, 'orm' | 'storage' | 'renderQueue'>,
  durable: string,
  subject: string,
  snapshotOf: (data: T) => InvoiceSnapshot,
): ConsumerDefinition<T> {
  return {
    durable,
    subject,
    concurrency: CONCURRENCY,
    async handle(event, { logger }) {
      const document = newDocument(event.orgid, snapshotOf(event.data), deps.storage.bucket);
      if (!document) throw new PermanentError('the invoice snapshot has no usable ids for a storage key');
      // The inbox row and the pending document in one statement (no BEGIN/COMMIT round trips).
      let documentId = await insertPendingDocumentOnce(deps.orm.em.fork(), durable, event.id, document);
      if (!documentId) {
        // A redelivery, or this version published twice under different event ids: the row
        // exists. Enqueue again only if it has no file yet (a no-op when queued).
        const existing = await findSourceVersion(deps.orm.em.fork(), document);
        if (!existing || !needsRendering(existing.status)) return;
        documentId = existing.id;
      }
      await enqueueSafely(deps, documentId, logger);
    },
  };
}

/** The pending row for the event, or undefined when its ids cannot make a storage key. */
function newDocument(orgId: string, invoice: InvoiceSnapshot, bucket: string): NewDocument | undefined {
  const identity = { orgId, sourceType: invoice.type, sourceId: invoice.id, version: invoice.version };
  let s3Key: string;
  try {
    s3Key = documentKey(identity);
  } catch {
    return undefined;
  }
  return {
    ...identity,
    id: newId(),
    number: invoice.number,
    source: invoice as unknown as Record<string, unknown>,
    s3Bucket: bucket,
    s3Key,
  };
}

async function enqueueSafely(
  deps: Pick<Deps, 'renderQueue'>,
  documentId: string,
  logger: Logger,
): Promise<void> {
  try {
    await enqueueRender(deps.renderQueue, documentId);
    logger.info({ documentId }, 'render job enqueued');
  } catch (error) {
    logger.warn({ err: error, documentId }, 'render job not enqueued; the reconciler will pick it up');
  }
}

/**
 * What the HTTP routes ask of the documents: one document's metadata, and what
 * `GET /v1/invoices/{id}/pdf` answers (a presigned link, a render to wait for, or an error).
 */
import { AppError } from '@invoice/contracts';
import type { Deps } from '../deps.ts';
import type { DocumentRow } from '../db/document.entity.ts';
import { findOrgDocument, findSourceDocuments } from '../db/documents.repository.ts';
import { pdfFilename } from '../domain/document-key.ts';
import { pdfAvailability } from '../domain/pdf-availability.ts';

/** Presigned links live five minutes: long enough to follow, too short to share around. */
export const LINK_SECONDS = 300;

/** The document of the caller's organization; NOT_FOUND for unknown ids and other organizations'. */
export async function getDocument(deps: Pick<Deps, 'orm'>, orgId: string, id: string): Promise<DocumentRow> {
  const row = await findOrgDocument(deps.orm.em.fork(), orgId, id);
  if (!row) throw new AppError('NOT_FOUND', { detail: 'No document with this id' });
  return row;
}

/** Where the PDF of an invoice is: a presigned download URL, or a document still rendering. */
export type InvoicePdf = { kind: 'link'; url: string } | { kind: 'pending'; documentId: string };

/**
 * The newest ready PDF of an invoice as a presigned link, or the document to wait for. Throws
 * NOT_FOUND when the organization has no document for the id (drafts, unknown ids and other
 * organizations' invoices alike) and DOCUMENT_RENDER_FAILED when nothing is ready or rendering
 * and a render failed for good.
 */
export async function invoicePdf(
  deps: Pick<Deps, 'orm' | 'storage'>,
  orgId: string,
  invoiceId: string,
): Promise<InvoicePdf> {
  const documents = await findSourceDocuments(deps.orm.em.fork(), orgId, invoiceId);
  const availability = pdfAvailability(documents);
  switch (availability.kind) {
    case 'ready': {
      const { document } = availability;
      const url = await deps.storage.presignedGetUrl(document.s3Key, {
        expiresInSeconds: LINK_SECONDS,
        filename: pdfFilename(document.number),
      });
      return { kind: 'link', url };
    }
    case 'pending':
      return { kind: 'pending', documentId: availability.document.id };
    case 'failed':
      throw new AppError('DOCUMENT_RENDER_FAILED', {
        detail: 'The PDF of this invoice could not be rendered',
      });
    case 'none':
      throw new AppError('NOT_FOUND', { detail: 'No issued invoice with this id' });
  }
}

/**
 * What the HTTP routes ask of the documents: one document's metadata, and what
 * `GET /v1/invoices/{id}/pdf` answers (a presigned link, a render to wait for, or an error).
 */
import { AppError } from '@invoice/contracts';
import { hasPermission, type AuthContext } from '@invoice/platform-http';
import type { Deps } from '../deps.ts';
import type { DocumentRow } from '../db/document.entity.ts';
import { findOrgDocument, findSourceDocuments } from '../db/documents.repository.ts';
import { pdfFilename } from '../domain/document-key.ts';
import { pdfAvailability } from '../domain/pdf-availability.ts';

/** Presigned links live five minutes: long enough to follow, too short to share around. */
export const LINK_SECONDS = 300;

/** Who asks: the verified caller's organization, user and permissions. */
export type Caller = Pick<AuthContext, 'orgId' | 'userId' | 'role' | 'permissions'>;

/**
 * True when `caller` may see the documents of an invoice created by `createdBy`: with
 * `all_invoices_access` (owners and admins hold it) every one, otherwise only their own. A snapshot
 * without a creator (made before creators were stored) needs the permission.
 */
export function maySee(caller: Caller, createdBy: unknown): boolean {
  return (
    hasPermission(caller, 'all_invoices_access') ||
    (typeof createdBy === 'string' && createdBy === caller.userId)
  );
}

/**
 * The document of the caller's organization; NOT_FOUND for unknown ids, other organizations' and,
 * without `all_invoices_access`, other members' invoices.
 */
export async function getDocument(deps: Pick<Deps, 'orm'>, caller: Caller, id: string): Promise<DocumentRow> {
  const row = await findOrgDocument(deps.orm.em.fork(), caller.orgId, id);
  if (!row || !maySee(caller, row.source.createdBy)) {
    throw new AppError('NOT_FOUND', { detail: 'No document with this id' });
  }
  return row;
}

/** Where the PDF of an invoice is: a presigned download URL, or a document still rendering. */
export type InvoicePdf = { kind: 'link'; url: string } | { kind: 'pending'; documentId: string };

/**
 * The newest ready PDF of an invoice as a presigned link, or the document to wait for. Throws
 * NOT_FOUND when the organization has no document for the id (drafts, unknown ids, other
 * organizations' invoices and, without `all_invoices_access`, other members' alike) and DOCUMENT_RENDER_FAILED when nothing is ready or rendering
 * and a render failed for good.
 */
export async function invoicePdf(
  deps: Pick<Deps, 'orm' | 'storage'>,
  caller: Caller,
  invoiceId: string,
): Promise<InvoicePdf> {
  const found = await findSourceDocuments(deps.orm.em.fork(), caller.orgId, invoiceId);
  // Another member's invoice is not found (every version has the same creator).
  const documents = found.length > 0 && maySee(caller, found[0]?.createdBy) ? found : [];
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

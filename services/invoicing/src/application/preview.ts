/**
 * The draft preview's data: a draft priced by the money engine as it would be issued now (seller and
 * buyer as of now), as a snapshot numbered `DRAFT` with status `draft`. Nothing is written and no
 * number is drawn; the document service renders it (watermarked DRAFT) for
 * `GET /v1/invoices/{id}/preview.pdf`.
 */
import { AppError, canonicalDecimal, type InvoiceSnapshot } from '@invoice/contracts';
import { buyerParty, sellerParty } from '../domain/parties.ts';
import { priceForIssue } from '../domain/pricing.ts';
import { buildInvoiceSnapshot } from '../domain/snapshot.ts';
import type { UseCaseDeps } from '../deps.ts';
import { lineInput } from '../db/invoice-mapping.ts';
import { findInvoiceWithLines } from '../db/invoices.repository.ts';
import { clientOrFail } from './guards.ts';

/** What a preview is numbered (a draft has no number yet). */
export const PREVIEW_NUMBER = 'DRAFT';

/** The draft's preview snapshot; null when the organization has no such invoice. */
export async function previewSnapshot(
  deps: UseCaseDeps,
  orgId: string,
  invoiceId: string,
): Promise<InvoiceSnapshot | null> {
  const stored = await findInvoiceWithLines(deps.orm.em.fork(), orgId, invoiceId);
  if (!stored) return null;
  const draft = stored.invoice;
  if (draft.status !== 'draft') {
    throw new AppError('INVOICE_NOT_DRAFT', {
      detail: 'Only a draft is previewed; an issued invoice has its PDF at /v1/invoices/{id}/pdf',
    });
  }
  const organization = await deps.replicas.organization(orgId);
  if (!organization)
    throw new AppError('SELLER_INCOMPLETE', { detail: 'The organization profile is not available' });
  const buyer = buyerParty(clientOrFail(await deps.replicas.client(orgId, draft.clientId)));
  const lines = stored.lines.map(lineInput);
  // The same pricing as issue (EMPTY_LINES for a draft without lines).
  const pricing = priceForIssue({
    ...draft,
    lines,
    prepaid: draft.prepaid === null ? undefined : canonicalDecimal(draft.prepaid),
  });
  return buildInvoiceSnapshot({
    ...draft,
    number: PREVIEW_NUMBER,
    status: 'draft',
    seller: sellerParty(organization),
    buyer,
    lines,
    pricing,
    issuedAt: new Date(),
    documentVersion: 1,
  });
}

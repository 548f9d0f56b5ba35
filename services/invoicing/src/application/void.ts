/**
 * Voiding: an issued invoice without payments or credit notes is cancelled with a reason. Its number
 * stays used; a new document version (status `void`) goes out with `invoicing.invoice.voided.v1`, so
 * the document service re-renders the PDF marked VOID. Nothing is due on a void invoice.
 */
import { canonicalDecimal, Subjects, type InvoiceVoided } from '@invoice/contracts';
import { enqueueEvent } from '@invoice/platform-outbox';
import { voidInvoice as voidTransition } from '../domain/invoice-status.ts';
import { Dec, fixed } from '../domain/money/decimal.ts';
import { priceForIssue, minorUnitsOf } from '../domain/pricing.ts';
import { buildInvoiceSnapshot } from '../domain/snapshot.ts';
import type { UseCaseDeps } from '../deps.ts';
import { lineInput } from '../db/invoice-mapping.ts';
import { findInvoiceWithLines, type StoredInvoice } from '../db/invoices.repository.ts';
import { countActivePayments, updateIssuedInvoice } from '../db/lifecycle.repository.ts';
import { invoiceLifecycleEvent } from './invoice-events.ts';
import { withLockedInvoice } from './settlement.ts';

/** Voids an issued invoice; answers it (status `void`). */
export async function voidIssuedInvoice(
  deps: UseCaseDeps,
  orgId: string,
  id: string,
  reason: string,
): Promise<StoredInvoice> {
  const stored = await withLockedInvoice(deps, orgId, id, async (em, invoice) => {
    const status = voidTransition(invoice.status, {
      activePayments: await countActivePayments(em, id),
      creditNotes: new Dec(invoice.totalCredited).isZero() ? 0 : 1,
    });
    const current = await findInvoiceWithLines(em, orgId, id);
    if (!current || !invoice.number || !invoice.seller || !invoice.buyer || !invoice.issuedAt) {
      throw new Error(`issued invoice ${id} lacks its number, parties or lines`);
    }
    const now = new Date();
    const documentVersion = (invoice.documentVersion ?? 1) + 1;
    const lines = current.lines.map(lineInput);
    // The frozen lines priced again give the issued totals exactly (the engine is deterministic).
    const pricing = priceForIssue({
      ...invoice,
      lines,
      prepaid: invoice.prepaid === null ? undefined : canonicalDecimal(invoice.prepaid),
    });
    const snapshot = buildInvoiceSnapshot({
      ...invoice,
      number: invoice.number,
      seller: invoice.seller,
      buyer: invoice.buyer,
      issuedAt: invoice.issuedAt,
      status,
      lines,
      pricing,
      documentVersion,
    });
    const changes = {
      status,
      voidReason: reason,
      voidedAt: now,
      documentVersion,
      totalDue: fixed(new Dec(0), minorUnitsOf(invoice.currency)),
      updatedAt: now,
    };
    const version = await updateIssuedInvoice(em, id, changes);
    const data: InvoiceVoided = { invoice: snapshot, reason, voidedAt: now.toISOString() };
    await enqueueEvent(em, invoiceLifecycleEvent(orgId, Subjects.InvoiceVoided, id, data));
    return { invoice: { ...invoice, ...changes, version }, lines: current.lines };
  });
  deps.logger.debug({ invoiceId: id }, 'invoice voided');
  return stored;
}

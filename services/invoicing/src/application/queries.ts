/** Reading invoices: one with its lines, or a page of summaries. */
import type { InvoiceListQuery } from '@invoice/contracts';
import { decodeCursor, pageOf } from '@invoice/platform-http';
import type { UseCaseDeps } from '../deps.ts';
import { listInvoices, type InvoiceSummaryRow } from '../db/invoice-list.repository.ts';
import { findInvoiceWithLines, type StoredInvoice } from '../db/invoices.repository.ts';
import { invoiceNotFound } from './guards.ts';

/** The invoice with its lines; 404 when it is not the caller's organization's. */
export async function getInvoice(deps: UseCaseDeps, orgId: string, id: string): Promise<StoredInvoice> {
  const stored = await findInvoiceWithLines(deps.orm.em, orgId, id);
  if (!stored) throw invoiceNotFound();
  return stored;
}

/** A page of invoices, newest first, with the cursor of the next page (null on the last one). */
export async function listPage(
  deps: UseCaseDeps,
  orgId: string,
  query: InvoiceListQuery,
  createdBy?: string,
): Promise<{ items: InvoiceSummaryRow[]; nextCursor: string | null }> {
  const limit = query.limit ?? 50;
  const rows = await listInvoices(deps.orm.em, orgId, {
    status: query.status,
    clientId: query.clientId,
    issueDateFrom: query.issueDateFrom,
    issueDateTo: query.issueDateTo,
    before: query.cursor ? decodeCursor(query.cursor) : undefined,
    createdBy,
    limit: limit + 1,
  });
  return pageOf(rows, limit);
}

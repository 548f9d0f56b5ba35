/** Reading invoices: one with its lines, or a page of summaries. */
import { AppError, type InvoiceListQuery } from '@invoice/contracts';
import type { ServiceDeps } from '../deps.ts';
import type { InvoiceRow } from '../db/invoice.entity.ts';
import { findInvoiceWithLines, listInvoices, type StoredInvoice } from '../db/invoices.repository.ts';
import { invoiceNotFound } from './preconditions.ts';

/** The invoice with its lines; 404 when it is not the caller's organization's. */
export async function getInvoice(deps: ServiceDeps, orgId: string, id: string): Promise<StoredInvoice> {
  const stored = await findInvoiceWithLines(deps.orm.em.fork(), orgId, id);
  if (!stored) throw invoiceNotFound();
  return stored;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Opaque cursor: the last id of the previous page, base64url-encoded. */
export function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!UUID.test(id))
    throw AppError.field('VALIDATION_FAILED', 'query:/cursor', 'is not a cursor this API returned');
  return id;
}

/** A page of invoices, newest first, with the cursor of the next page (null on the last one). */
export async function listPage(
  deps: ServiceDeps,
  orgId: string,
  query: InvoiceListQuery,
): Promise<{ items: InvoiceRow[]; nextCursor: string | null }> {
  const limit = query.limit ?? 50;
  const rows = await listInvoices(deps.orm.em.fork(), orgId, {
    status: query.status,
    clientId: query.clientId,
    issueDateFrom: query.issueDateFrom,
    issueDateTo: query.issueDateTo,
    before: query.cursor ? decodeCursor(query.cursor) : undefined,
    limit: limit + 1,
  });
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}

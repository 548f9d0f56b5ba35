/**
 * Invoice persistence. Lines are written with one multi-row insert per draft (DESIGN §10: one
 * statement instead of N round trips); reads are always scoped by the caller's organization.
 */
import { LockMode, type FilterQuery, type InferEntity } from '@mikro-orm/core';
import { qualified, type EntityManager } from '@invoice/platform-db';
import type { InvoiceStatus } from '@invoice/contracts';
import { InvoiceLineEntity, type InvoiceLineRow } from './invoice-line.entity.ts';
import { InvoiceEntity, type InvoiceRow } from './invoice.entity.ts';

/** An invoice with its lines, ordered by position. */
export interface StoredInvoice {
  invoice: InvoiceRow;
  lines: InvoiceLineRow[];
}

/** The invoice of this organization, or null (another organization's id reads as missing). */
export async function findInvoice(
  em: EntityManager,
  orgId: string,
  id: string,
  options: { lock?: boolean } = {},
): Promise<InvoiceRow | null> {
  const row = await em.findOne(
    InvoiceEntity,
    { id, orgId },
    options.lock ? { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true } : {},
  );
  return row as InvoiceRow | null;
}

/** The invoice with its lines, or null. */
export async function findInvoiceWithLines(
  em: EntityManager,
  orgId: string,
  id: string,
): Promise<StoredInvoice | null> {
  const invoice = await findInvoice(em, orgId, id);
  if (!invoice) return null;
  return { invoice, lines: await findLines(em, id) };
}

/** The lines of an invoice, by position. */
export async function findLines(em: EntityManager, invoiceId: string): Promise<InvoiceLineRow[]> {
  return (await em.find(
    InvoiceLineEntity,
    { invoiceId },
    { orderBy: { position: 'asc' } },
  )) as InvoiceLineRow[];
}

/**
 * Lines per multi-row insert: Postgres binds at most 65,535 parameters per statement and a line has
 * 17 columns, so only very long invoices take more than one statement.
 */
const LINES_PER_INSERT = 2_000;

async function insertLines(em: EntityManager, lines: InvoiceLineRow[]): Promise<void> {
  for (let start = 0; start < lines.length; start += LINES_PER_INSERT) {
    await em.insertMany(InvoiceLineEntity, lines.slice(start, start + LINES_PER_INSERT));
  }
}

/** Inserts a draft and its lines (one multi-row insert for up to 2,000 lines). */
export async function insertInvoice(
  em: EntityManager,
  invoice: InvoiceRow,
  lines: InvoiceLineRow[],
): Promise<void> {
  await em.insert(InvoiceEntity, invoice);
  await insertLines(em, lines);
}

/** Replaces every line of an invoice. */
export async function replaceLines(
  em: EntityManager,
  invoiceId: string,
  lines: InvoiceLineRow[],
): Promise<void> {
  await em.nativeDelete(InvoiceLineEntity, { invoiceId });
  await insertLines(em, lines);
}

/**
 * Updates an invoice if it still has `version` (and bumps it); returns false when someone changed it
 * meanwhile. `changes.updatedAt` is the caller's, so what it returns and what is stored agree.
 */
export async function updateInvoice(
  em: EntityManager,
  id: string,
  version: number,
  changes: Partial<InvoiceRow> & { updatedAt: Date },
): Promise<boolean> {
  const count = await em.nativeUpdate(InvoiceEntity, { id, version }, { ...changes, version: version + 1 });
  return count === 1;
}

/** Sets the net of the given lines (by position) of an invoice. */
export async function updateLineNets(
  em: EntityManager,
  invoiceId: string,
  nets: readonly { position: number; net: string }[],
): Promise<void> {
  for (const { position, net } of nets) {
    await em.execute(
      `update ${qualified(em, 'invoice_lines')} set net = ? where invoice_id = ? and position = ?`,
      [net, invoiceId, position],
    );
  }
}

/**
 * Records that an email of the invoice was delivered at `time`. Deliveries can be processed out of
 * order: the latest time is kept.
 */
export async function recordEmailDelivered(
  em: EntityManager,
  orgId: string,
  invoiceId: string,
  time: string,
): Promise<void> {
  await em.execute(
    `update ${qualified(em, 'invoices')} set last_sent_at = greatest(coalesce(last_sent_at, ?::timestamptz), ?::timestamptz)
     where id = ? and org_id = ?`,
    [time, time, invoiceId, orgId],
  );
}

/** Deletes an invoice (its lines go with it). */
export async function deleteInvoice(em: EntityManager, id: string): Promise<void> {
  await em.nativeDelete(InvoiceEntity, { id });
}

/** Filters of the invoice list. */
export interface InvoiceFilter {
  status?: InvoiceStatus | undefined;
  clientId?: string | undefined;
  issueDateFrom?: string | undefined;
  issueDateTo?: string | undefined;
  /** Only invoices with a smaller id (UUIDv7, so older) than this one. */
  before?: string | undefined;
  limit: number;
}

/** A page of invoices, newest first (ordered by id, which UUIDv7 makes time-ordered and stable). */
export async function listInvoices(
  em: EntityManager,
  orgId: string,
  filter: InvoiceFilter,
): Promise<InvoiceRow[]> {
  const where: FilterQuery<InferEntity<typeof InvoiceEntity>> = { orgId };
  if (filter.status) where.status = filter.status;
  if (filter.clientId) where.clientId = filter.clientId;
  if (filter.issueDateFrom || filter.issueDateTo) {
    where.issueDate = {
      ...(filter.issueDateFrom ? { $gte: filter.issueDateFrom } : {}),
      ...(filter.issueDateTo ? { $lte: filter.issueDateTo } : {}),
    };
  }
  if (filter.before) where.id = { $lt: filter.before };
  return (await em.find(InvoiceEntity, where, {
    orderBy: { id: 'desc' },
    limit: filter.limit,
  })) as InvoiceRow[];
}

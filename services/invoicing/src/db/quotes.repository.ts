/**
 * Quote persistence in explicit SQL, always scoped by the caller's organization. A quote keeps its
 * lines as one JSON array (what was entered plus each line's net) and the engine's totals as JSON:
 * a quote is read and written whole, and it becomes an invoice with proper line rows when converted.
 */
import type {
  AllowanceCharge,
  Party,
  PaymentMethod,
  PriceMode,
  QuoteStatus,
  TaxBreakdown,
  Totals,
  VatBreakdown,
} from '@invoice/contracts';
import { qualified, type EntityManager } from '@invoice/platform-db';
import type { InvoiceLineRow } from './invoice-line.entity.ts';

/** A stored line of a quote: an invoice line row without its invoice. */
export type QuoteLine = Omit<InvoiceLineRow, 'invoiceId'>;

/** A quote row as the code uses it (nullable columns are null, never undefined). */
export interface QuoteRow {
  id: string;
  orgId: string;
  status: QuoteStatus;
  number: string | null;
  seriesId: string | null;
  clientId: string;
  currency: string;
  issueDate: string;
  validUntil: string;
  paymentMethod: PaymentMethod | null;
  notes: string | null;
  priceMode: PriceMode;
  allowances: AllowanceCharge[];
  charges: AllowanceCharge[];
  lines: QuoteLine[];
  totals: Totals;
  vatBreakdown: VatBreakdown[];
  taxBreakdown: TaxBreakdown[];
  seller: Party | null;
  buyer: Party | null;
  version: number;
  documentVersion: number | null;
  sentAt: Date | null;
  acceptedAt: Date | null;
  acceptedBy: string | null;
  declinedAt: Date | null;
  declinedBy: string | null;
  declineReason: string | null;
  expiredAt: Date | null;
  convertedAt: Date | null;
  convertedBy: string | null;
  invoiceId: string | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

type Cast = 'jsonb' | 'date' | 'ts' | undefined;

/** Column of each quote field, and how a written value is cast. */
const COLUMNS: Record<keyof QuoteRow, readonly [column: string, cast?: Cast]> = {
  id: ['id'],
  orgId: ['org_id'],
  status: ['status'],
  number: ['number'],
  seriesId: ['series_id'],
  clientId: ['client_id'],
  currency: ['currency'],
  issueDate: ['issue_date', 'date'],
  validUntil: ['valid_until', 'date'],
  paymentMethod: ['payment_method'],
  notes: ['notes'],
  priceMode: ['price_mode'],
  allowances: ['allowances', 'jsonb'],
  charges: ['charges', 'jsonb'],
  lines: ['lines', 'jsonb'],
  totals: ['totals', 'jsonb'],
  vatBreakdown: ['vat_breakdown', 'jsonb'],
  taxBreakdown: ['tax_breakdown', 'jsonb'],
  seller: ['seller', 'jsonb'],
  buyer: ['buyer', 'jsonb'],
  version: ['version'],
  documentVersion: ['document_version'],
  sentAt: ['sent_at', 'ts'],
  acceptedAt: ['accepted_at', 'ts'],
  acceptedBy: ['accepted_by'],
  declinedAt: ['declined_at', 'ts'],
  declinedBy: ['declined_by'],
  declineReason: ['decline_reason'],
  expiredAt: ['expired_at', 'ts'],
  convertedAt: ['converted_at', 'ts'],
  convertedBy: ['converted_by'],
  invoiceId: ['invoice_id'],
  createdBy: ['created_by'],
  createdAt: ['created_at', 'ts'],
  updatedAt: ['updated_at', 'ts'],
};
const FIELDS = Object.keys(COLUMNS) as (keyof QuoteRow)[];
const TIMESTAMPS = FIELDS.filter((field) => COLUMNS[field][1] === 'ts');
const DATES = FIELDS.filter((field) => COLUMNS[field][1] === 'date');

const SELECT = FIELDS.map((field) => {
  const [column, cast] = COLUMNS[field];
  if (cast === 'date') return `q.${column}::text as "${field}"`;
  return column === field ? `q.${column}` : `q.${column} as "${field}"`;
}).join(', ');

function toRow(raw: Record<string, unknown>): QuoteRow {
  const row = raw as unknown as QuoteRow & Record<string, unknown>;
  for (const field of TIMESTAMPS) {
    const value = raw[field];
    if (typeof value === 'string') row[field] = new Date(value) as never;
  }
  for (const field of DATES) {
    const value = raw[field];
    if (value instanceof Date) row[field] = value.toISOString().slice(0, 10) as never;
  }
  return row;
}

function param(field: keyof QuoteRow, value: unknown): [placeholder: string, param: unknown] {
  const cast = COLUMNS[field][1];
  if (value === null || value === undefined) return ['null', null];
  if (cast === 'jsonb') return ['?::jsonb', JSON.stringify(value)];
  if (cast === 'ts') return ['?::timestamptz', (value as Date).toISOString()];
  if (cast === 'date') return ['?::date', value];
  return ['?', value];
}

/** Inserts a new quote (in the caller's transaction). */
export async function insertQuote(em: EntityManager, quote: QuoteRow): Promise<void> {
  const placeholders: string[] = [];
  const params: unknown[] = [];
  for (const field of FIELDS) {
    const [placeholder, value] = param(field, quote[field]);
    placeholders.push(placeholder);
    if (placeholder !== 'null') params.push(value);
  }
  const columns = FIELDS.map((field) => COLUMNS[field][0]).join(', ');
  await em.execute(
    `insert into ${qualified(em, 'quotes')} (${columns}) values (${placeholders.join(', ')})`,
    params,
    'run',
  );
}

/** The quote of this organization, or null (another organization's id reads as missing). */
export async function findQuote(
  em: EntityManager,
  orgId: string,
  id: string,
  options: { lock?: boolean } = {},
): Promise<QuoteRow | null> {
  const rows = await em.execute<Record<string, unknown>[]>(
    `select ${SELECT} from ${qualified(em, 'quotes')} q where q.id = ? and q.org_id = ?${options.lock ? ' for update' : ''}`,
    [id, orgId],
  );
  return rows[0] ? toRow(rows[0]) : null;
}

/** Writes the given fields and bumps the version (in the caller's transaction, on a locked row); returns the new version. */
export async function updateQuote(
  em: EntityManager,
  id: string,
  changes: Partial<QuoteRow> & { updatedAt: Date },
): Promise<number> {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const [field, value] of Object.entries(changes) as [keyof QuoteRow, unknown][]) {
    if (value === undefined || !(field in COLUMNS) || field === 'version') continue;
    const [placeholder, p] = param(field, value);
    parts.push(`${COLUMNS[field][0]} = ${placeholder}`);
    if (placeholder !== 'null') params.push(p);
  }
  const rows = await em.execute<{ version: number }[]>(
    `update ${qualified(em, 'quotes')} set ${parts.join(', ')}, version = version + 1 where id = ? returning version`,
    [...params, id],
  );
  const version = rows[0]?.version;
  if (version === undefined) throw new Error(`quote ${id} vanished while locked`);
  return version;
}

/** Deletes a quote of the organization (in the caller's transaction). */
export async function deleteQuoteRow(em: EntityManager, orgId: string, id: string): Promise<void> {
  await em.execute(`delete from ${qualified(em, 'quotes')} where id = ? and org_id = ?`, [id, orgId], 'run');
}

/** Filters of the quote list. */
export interface QuoteFilter {
  status?: QuoteStatus | undefined;
  clientId?: string | undefined;
  issueDateFrom?: string | undefined;
  issueDateTo?: string | undefined;
  /** Only quotes with a smaller id (UUIDv7, so older) than this one. */
  before?: string | undefined;
  /** Only quotes this user created (a member without all_invoices_access). */
  createdBy?: string | undefined;
  limit: number;
}

/** Quotes of the organization, newest first (by id), keyset-paginated. */
export async function listQuotes(em: EntityManager, orgId: string, filter: QuoteFilter): Promise<QuoteRow[]> {
  const where = ['q.org_id = ?'];
  const params: unknown[] = [orgId];
  const add = (sql: string, value: unknown) => {
    if (value === undefined) return;
    where.push(sql);
    params.push(value);
  };
  add('q.status = ?', filter.status);
  add('q.client_id = ?', filter.clientId);
  add('q.issue_date >= ?::date', filter.issueDateFrom);
  add('q.issue_date <= ?::date', filter.issueDateTo);
  add('q.id < ?', filter.before);
  add('q.created_by = ?', filter.createdBy);
  const rows = await em.execute<Record<string, unknown>[]>(
    `select ${SELECT} from ${qualified(em, 'quotes')} q where ${where.join(' and ')} order by q.id desc limit ?`,
    [...params, filter.limit],
  );
  return rows.map(toRow);
}

/** The creator of a quote of the organization: null when it has none, undefined when there is no such quote. */
export async function quoteCreator(
  em: EntityManager,
  orgId: string,
  id: string,
): Promise<string | null | undefined> {
  const rows = await em.execute<{ createdBy: string | null }[]>(
    `select created_by as "createdBy" from ${qualified(em, 'quotes')} where id = ? and org_id = ?`,
    [id, orgId],
  );
  return rows[0] ? rows[0].createdBy : undefined;
}

/**
 * Up to `limit` sent quotes whose validity ended before `today`, locked and skipping rows another
 * run holds (in the caller's transaction): each is marked expired once.
 */
export async function lockExpiredQuotes(
  em: EntityManager,
  today: string,
  limit: number,
): Promise<QuoteRow[]> {
  const rows = await em.execute<Record<string, unknown>[]>(
    `select ${SELECT} from ${qualified(em, 'quotes')} q
     where q.status = 'sent' and q.valid_until < ?::date
     order by q.valid_until, q.id limit ? for update skip locked`,
    [today, limit],
  );
  return rows.map(toRow);
}

/**
 * Invoice persistence in explicit SQL (no unit of work or entity hydration on the request path): reads
 * name their columns, an invoice comes with its lines in one statement, and a draft is written with
 * its lines and its outbox event in ONE statement (atomic on its own, so no begin/commit round trips).
 * Reads are always scoped by the caller's organization.
 */
import { qualified, type EntityManager } from '@invoice/platform-db';
import type { InvoiceLineRow } from './invoice-line.entity.ts';
import type { InvoiceRow } from './invoice.entity.ts';
import { wakeRelays, type OutboxRow } from './outbox.ts';

/** An invoice with its lines, ordered by position. */
export interface StoredInvoice {
  invoice: InvoiceRow;
  lines: InvoiceLineRow[];
}

/** Column of each invoice field, and how a written value is cast. */
const INVOICE_COLUMNS: Record<keyof InvoiceRow, readonly [column: string, cast?: 'jsonb' | 'date' | 'ts']> = {
  id: ['id'],
  orgId: ['org_id'],
  type: ['type'],
  status: ['status'],
  number: ['number'],
  seriesId: ['series_id'],
  clientId: ['client_id'],
  currency: ['currency'],
  issueDate: ['issue_date', 'date'],
  dueDate: ['due_date', 'date'],
  paymentTermsDays: ['payment_terms_days'],
  paymentMethod: ['payment_method'],
  notes: ['notes'],
  priceMode: ['price_mode'],
  allowances: ['allowances', 'jsonb'],
  charges: ['charges', 'jsonb'],
  prepaid: ['prepaid'],
  totalLineNet: ['total_line_net'],
  totalAllowances: ['total_allowances'],
  totalCharges: ['total_charges'],
  totalNet: ['total_net'],
  totalVat: ['total_vat'],
  totalOtherTax: ['total_other_tax'],
  totalGross: ['total_gross'],
  totalPrepaid: ['total_prepaid'],
  totalRounding: ['total_rounding'],
  totalDue: ['total_due'],
  totalPaid: ['total_paid'],
  totalCredited: ['total_credited'],
  creditBalance: ['credit_balance'],
  vatBreakdown: ['vat_breakdown', 'jsonb'],
  taxBreakdown: ['tax_breakdown', 'jsonb'],
  seller: ['seller', 'jsonb'],
  buyer: ['buyer', 'jsonb'],
  version: ['version'],
  documentVersion: ['document_version'],
  issuedAt: ['issued_at', 'ts'],
  lastSentAt: ['last_sent_at', 'ts'],
  paidAt: ['paid_at', 'ts'],
  voidedAt: ['voided_at', 'ts'],
  voidReason: ['void_reason'],
  createdAt: ['created_at', 'ts'],
  createdBy: ['created_by'],
  quoteId: ['quote_id'],
  updatedAt: ['updated_at', 'ts'],
};
const INVOICE_FIELDS = Object.keys(INVOICE_COLUMNS) as (keyof InvoiceRow)[];
const TIMESTAMP_FIELDS = INVOICE_FIELDS.filter((field) => INVOICE_COLUMNS[field][1] === 'ts');

/** `i.org_id as "orgId", …`: every invoice column under its field name. */
export const INVOICE_SELECT = INVOICE_FIELDS.map((field) => {
  const [column] = INVOICE_COLUMNS[field];
  return column === field ? `i.${column}` : `i.${column} as "${field}"`;
}).join(', ');

/** An invoice row as read with {@link INVOICE_SELECT} (timestamps arrive as text). */
export function toInvoiceRow(raw: Record<string, unknown>): InvoiceRow {
  const row = raw as unknown as InvoiceRow & Record<string, unknown>;
  for (const field of TIMESTAMP_FIELDS) {
    const value = raw[field];
    if (typeof value === 'string') row[field] = new Date(value) as never;
  }
  return row;
}

/** `?`, `?::jsonb`, … for a written field, and its parameter. */
function writeParam(field: keyof InvoiceRow, value: unknown): [placeholder: string, param: unknown] {
  const cast = INVOICE_COLUMNS[field][1];
  if (value === null || value === undefined) return ['null', null];
  if (cast === 'jsonb') return ['?::jsonb', JSON.stringify(value)];
  if (cast === 'ts') return ['?::timestamptz', (value as Date).toISOString()];
  if (cast === 'date') return ['?::date', value];
  return ['?', value];
}

/** `set a = ?, b = ?::jsonb …` of the given fields. */
export function setClause(changes: Partial<InvoiceRow>): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const [field, value] of Object.entries(changes) as [keyof InvoiceRow, unknown][]) {
    if (value === undefined || !(field in INVOICE_COLUMNS)) continue;
    const [placeholder, param] = writeParam(field, value);
    parts.push(`${INVOICE_COLUMNS[field][0]} = ${placeholder}`);
    if (placeholder !== 'null') params.push(param);
  }
  return { sql: parts.join(', '), params };
}

/** The lines of an invoice as one JSON array of arrays, numbers as text (exact), by position. */
export function linesJsonSql(em: EntityManager, invoiceId: string): string {
  return `(select coalesce(json_agg(json_build_array(l.position, l.product_id, l.description, l.quantity::text,
      l.unit_code, l.unit_price::text, l.price_base_quantity::text, l.gross_unit_price::text, l.allowances,
      l.charges, l.vat_category, l.vat_rate::text, l.vat_exemption_reason, l.vat_exemption_reason_code,
      l.taxes, l.net::text, l.attributes) order by l.position), '[]')
    from ${qualified(em, 'invoice_lines')} l where l.invoice_id = ${invoiceId})`;
}

type LineTuple = [
  number,
  string | null,
  string,
  string,
  string,
  string,
  string | null,
  string | null,
  InvoiceLineRow['allowances'],
  InvoiceLineRow['charges'],
  InvoiceLineRow['vatCategory'],
  string | null,
  string | null,
  string | null,
  InvoiceLineRow['taxes'],
  string,
  InvoiceLineRow['attributes'],
];

/** The lines read with {@link linesJsonSql}. */
export function toLineRows(invoiceId: string, json: unknown): InvoiceLineRow[] {
  const tuples = (typeof json === 'string' ? JSON.parse(json) : json) as LineTuple[];
  return tuples.map((t) => ({
    invoiceId,
    position: t[0],
    productId: t[1],
    description: t[2],
    quantity: t[3],
    unitCode: t[4],
    unitPrice: t[5],
    priceBaseQuantity: t[6],
    grossUnitPrice: t[7],
    allowances: t[8],
    charges: t[9],
    vatCategory: t[10],
    vatRate: t[11],
    vatExemptionReason: t[12],
    vatExemptionReasonCode: t[13],
    taxes: t[14],
    net: t[15],
    attributes: t[16],
  }));
}

/** The invoice of this organization, or null (another organization's id reads as missing). */
export async function findInvoice(
  em: EntityManager,
  orgId: string,
  id: string,
  options: { lock?: boolean } = {},
): Promise<InvoiceRow | null> {
  const rows = await em.execute<Record<string, unknown>[]>(
    `select ${INVOICE_SELECT} from ${qualified(em, 'invoices')} i where i.id = ? and i.org_id = ?${options.lock ? ' for update' : ''}`,
    [id, orgId],
  );
  return rows[0] ? toInvoiceRow(rows[0]) : null;
}

/** The invoice with its lines (one statement), or null. */
export async function findInvoiceWithLines(
  em: EntityManager,
  orgId: string,
  id: string,
): Promise<StoredInvoice | null> {
  const rows = await em.execute<Record<string, unknown>[]>(
    `select ${INVOICE_SELECT}, ${linesJsonSql(em, 'i.id')} as "linesJson"
     from ${qualified(em, 'invoices')} i where i.id = ? and i.org_id = ?`,
    [id, orgId],
  );
  const raw = rows[0];
  if (!raw) return null;
  const { linesJson, ...columns } = raw;
  return { invoice: toInvoiceRow(columns), lines: toLineRows(id, linesJson) };
}

/** The lines as `jsonb_to_recordset` input (numbers stay decimal strings, so nothing is rounded here). */
function linesParam(lines: readonly InvoiceLineRow[]): string {
  return JSON.stringify(
    lines.map((line) => ({
      position: line.position,
      product_id: line.productId,
      description: line.description,
      quantity: line.quantity,
      unit_code: line.unitCode,
      unit_price: line.unitPrice,
      price_base_quantity: line.priceBaseQuantity,
      gross_unit_price: line.grossUnitPrice,
      allowances: line.allowances,
      charges: line.charges,
      vat_category: line.vatCategory,
      vat_rate: line.vatRate,
      vat_exemption_reason: line.vatExemptionReason,
      vat_exemption_reason_code: line.vatExemptionReasonCode,
      taxes: line.taxes,
      attributes: line.attributes,
      net: line.net,
    })),
  );
}

const LINE_COLUMNS = `position, product_id, description, quantity, unit_code, unit_price, price_base_quantity,
  gross_unit_price, allowances, charges, vat_category, vat_rate, vat_exemption_reason, vat_exemption_reason_code, taxes, attributes, net`;

/**
 * `insert into invoice_lines … select … from inv, jsonb_to_recordset(?)`: every line in one statement,
 * for the invoice that the CTE `inv` returns (none when it returns nothing). With `upsert`, positions
 * that exist are overwritten (a statement cannot delete and re-insert the same keys).
 */
function insertLinesSql(em: EntityManager, upsert: boolean): string {
  const overwrite = LINE_COLUMNS.split(',')
    .map((column) => column.trim())
    .filter((column) => column !== 'position')
    .map((column) => `${column} = excluded.${column}`)
    .join(', ');
  return `insert into ${qualified(em, 'invoice_lines')} (invoice_id, ${LINE_COLUMNS})
    select inv.id, l.position, l.product_id, l.description, l.quantity, l.unit_code, l.unit_price,
      l.price_base_quantity, l.gross_unit_price, coalesce(l.allowances, '[]'), coalesce(l.charges, '[]'),
      l.vat_category, l.vat_rate, l.vat_exemption_reason, l.vat_exemption_reason_code, coalesce(l.taxes, '[]'), coalesce(l.attributes, '[]'), l.net
    from inv, jsonb_to_recordset(?::jsonb) as l(position integer, product_id uuid, description text, quantity numeric,
      unit_code text, unit_price numeric, price_base_quantity numeric, gross_unit_price numeric, allowances jsonb,
      charges jsonb, vat_category text, vat_rate numeric, vat_exemption_reason text, vat_exemption_reason_code text,
      taxes jsonb, attributes jsonb, net numeric)${upsert ? ` on conflict (invoice_id, position) do update set ${overwrite}` : ''}`;
}

/** `insert into outbox … select ?, ?, ?::jsonb from <source>`: the event of a statement's change. */
export function insertOutboxSql(em: EntityManager, source: string, payloadSql = '?::jsonb'): string {
  return `insert into ${qualified(em, 'outbox')} (id, subject, payload) select ?, ?, ${payloadSql} from ${source}`;
}

/**
 * Inserts a draft, its lines and its event in one statement: nothing is written unless all of it is.
 * Runs on its own (autocommit) or inside the caller's transaction.
 */
export async function insertDraft(
  em: EntityManager,
  invoice: InvoiceRow,
  lines: readonly InvoiceLineRow[],
  event: OutboxRow,
): Promise<void> {
  const placeholders: string[] = [];
  const params: unknown[] = [];
  for (const field of INVOICE_FIELDS) {
    const [placeholder, param] = writeParam(field, invoice[field]);
    placeholders.push(placeholder);
    if (placeholder !== 'null') params.push(param);
  }
  const columns = INVOICE_FIELDS.map((field) => INVOICE_COLUMNS[field][0]).join(', ');
  await em.execute(
    `with inv as (
       insert into ${qualified(em, 'invoices')} (${columns}) values (${placeholders.join(', ')}) returning id
     ), lines as (${insertLinesSql(em, false)}), event as (${insertOutboxSql(em, 'inv')})
     select 1`,
    [...params, linesParam(lines), event.id, event.subject, event.payload],
    'run',
  );
  wakeRelays(em);
}

/**
 * Updates a draft if it still has `version` (and bumps it), replaces its lines when given, and writes
 * its event, all in one statement. Returns false (and changes nothing) when someone changed it
 * meanwhile. `changes.updatedAt` is the caller's, so what it returns and what is stored agree.
 */
export async function updateDraftRow(
  em: EntityManager,
  id: string,
  version: number,
  changes: Partial<InvoiceRow> & { updatedAt: Date },
  lines: readonly InvoiceLineRow[] | undefined,
  event: OutboxRow,
): Promise<boolean> {
  const set = setClause(changes);
  const replace = lines
    ? `, lines as (${insertLinesSql(em, true)}),
       gone as (delete from ${qualified(em, 'invoice_lines')} where invoice_id = (select id from inv) and position > ?)`
    : '';
  const rows = await em.execute<{ id: string }[]>(
    `with inv as (
       update ${qualified(em, 'invoices')} set ${set.sql}, version = version + 1 where id = ? and version = ? returning id
     )${replace}, event as (${insertOutboxSql(em, 'inv')})
     select id from inv`,
    [
      ...set.params,
      id,
      version,
      ...(lines ? [linesParam(lines), lines.length] : []),
      event.id,
      event.subject,
      event.payload,
    ],
  );
  if (rows.length === 0) return false;
  wakeRelays(em);
  return true;
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

/**
 * Deletes a draft of the organization (its lines go with it) and writes its event, in the caller's
 * transaction (which wakes the relays after its commit: see `wakeRelays`).
 */
export async function deleteDraftRow(
  em: EntityManager,
  orgId: string,
  id: string,
  event: OutboxRow,
): Promise<void> {
  await em.execute(
    `with inv as (delete from ${qualified(em, 'invoices')} where id = ? and org_id = ? returning id),
     event as (${insertOutboxSql(em, 'inv')}) select 1`,
    [id, orgId, event.id, event.subject, event.payload],
    'run',
  );
}

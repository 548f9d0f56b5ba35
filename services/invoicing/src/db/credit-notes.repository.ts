/** Credit notes in explicit SQL; reads are scoped by the caller's organization. */
import type {
  AllowanceCharge,
  Party,
  PriceMode,
  TaxBreakdown,
  Totals,
  VatBreakdown,
} from '@invoice/contracts';
import { qualified, type EntityManager } from '@invoice/platform-db';

/** A stored credit note line: the engine's line, its net, and the invoice line it credits. */
export interface CreditNoteLineRow {
  [field: string]: unknown;
  position: number;
  net: string;
  creditedPosition: number | null;
}

/** A credit note row. */
export interface CreditNoteRow {
  id: string;
  orgId: string;
  invoiceId: string;
  number: string;
  seriesId: string;
  clientId: string;
  currency: string;
  issueDate: string;
  reason: string | null;
  priceMode: PriceMode;
  lines: CreditNoteLineRow[];
  allowances: AllowanceCharge[];
  charges: AllowanceCharge[];
  totals: Totals;
  vatBreakdown: VatBreakdown[];
  taxBreakdown: TaxBreakdown[];
  seller: Party;
  buyer: Party;
  documentVersion: number;
  issuedAt: Date;
  /** The credited invoice's number and issue date (joined on read). */
  invoiceNumber: string;
  invoiceIssueDate: string;
}

const SELECT = `c.id, c.org_id as "orgId", c.invoice_id as "invoiceId", c.number, c.series_id as "seriesId",
  c.client_id as "clientId", c.currency, to_char(c.issue_date, 'YYYY-MM-DD') as "issueDate", c.reason,
  c.price_mode as "priceMode", c.lines, c.allowances, c.charges, c.totals, c.vat_breakdown as "vatBreakdown",
  c.tax_breakdown as "taxBreakdown", c.seller, c.buyer, c.document_version as "documentVersion",
  c.issued_at as "issuedAt", i.number as "invoiceNumber", to_char(i.issue_date, 'YYYY-MM-DD') as "invoiceIssueDate"`;

function toRow(raw: Record<string, unknown>): CreditNoteRow {
  const row = raw as unknown as CreditNoteRow;
  return { ...row, issuedAt: new Date(row.issuedAt) };
}

/** The credit notes of an invoice, oldest first. */
export async function listCreditNoteRows(
  em: EntityManager,
  orgId: string,
  invoiceId: string,
): Promise<CreditNoteRow[]> {
  const rows = await em.execute<Record<string, unknown>[]>(
    `select ${SELECT} from ${qualified(em, 'credit_notes')} c join ${qualified(em, 'invoices')} i on i.id = c.invoice_id
     where c.invoice_id = ? and c.org_id = ? order by c.issued_at, c.id`,
    [invoiceId, orgId],
  );
  return rows.map(toRow);
}

/** One credit note of the organization, or null. */
export async function findCreditNoteRow(
  em: EntityManager,
  orgId: string,
  id: string,
): Promise<CreditNoteRow | null> {
  const rows = await em.execute<Record<string, unknown>[]>(
    `select ${SELECT} from ${qualified(em, 'credit_notes')} c join ${qualified(em, 'invoices')} i on i.id = c.invoice_id
     where c.id = ? and c.org_id = ?`,
    [id, orgId],
  );
  return rows[0] ? toRow(rows[0]) : null;
}

/** Inserts an issued credit note (in the caller's transaction). */
export async function insertCreditNote(em: EntityManager, row: CreditNoteRow): Promise<void> {
  await em.execute(
    `insert into ${qualified(em, 'credit_notes')} (id, org_id, invoice_id, number, series_id, client_id, currency,
       issue_date, reason, price_mode, lines, allowances, charges, totals, total_gross, vat_breakdown, tax_breakdown,
       seller, buyer, document_version, issued_at, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?::date, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?::jsonb, ?::jsonb,
       ?::jsonb, ?::jsonb, ?, ?::timestamptz, ?::timestamptz)`,
    [
      row.id,
      row.orgId,
      row.invoiceId,
      row.number,
      row.seriesId,
      row.clientId,
      row.currency,
      row.issueDate,
      row.reason,
      row.priceMode,
      JSON.stringify(row.lines),
      JSON.stringify(row.allowances),
      JSON.stringify(row.charges),
      JSON.stringify(row.totals),
      row.totals.gross,
      JSON.stringify(row.vatBreakdown),
      JSON.stringify(row.taxBreakdown),
      JSON.stringify(row.seller),
      JSON.stringify(row.buyer),
      row.documentVersion,
      row.issuedAt.toISOString(),
      row.issuedAt.toISOString(),
    ],
  );
}

/** The totals block (EN 16931 BG-22 / BG-23): net, VAT per group, gross, prepaid, rounding, due. */
import type { InvoiceSnapshot } from '@invoice/contracts';
import { formatMoney, formatQuantity, isZero } from '../domain/amount-format.ts';
import { COLOR, CONTENT_WIDTH, FONT, LEFT, rule, type Doc } from './layout.ts';
import { vatCategoryLabel } from './labels.ts';

/** One printed row: a label and an amount, or a note under the previous row. */
export interface TotalsRow {
  label: string;
  amount?: string;
  strong?: boolean;
  note?: boolean;
}

/** Width of the totals block; the rest of the row (left of it) holds the payment note. */
export const BLOCK_WIDTH = 290;
const BLOCK_X = LEFT + CONTENT_WIDTH - BLOCK_WIDTH;
const AMOUNT_WIDTH = 115;
const LABEL_WIDTH = BLOCK_WIDTH - AMOUNT_WIDTH;
const ROW_HEIGHT = 15;

/** The rows, in order, formatted from the snapshot's decimal strings (nothing is recomputed). */
export function totalsRows(invoice: InvoiceSnapshot): TotalsRow[] {
  const { totals, currency } = invoice;
  const money = (value: string) => formatMoney(value, currency);
  const rows: TotalsRow[] = [];
  if (!isZero(totals.allowances) || !isZero(totals.charges)) {
    rows.push({ label: 'Sum of lines', amount: money(totals.lineNet) });
    if (!isZero(totals.allowances)) rows.push({ label: 'Less allowances', amount: money(totals.allowances) });
    if (!isZero(totals.charges)) rows.push({ label: 'Plus charges', amount: money(totals.charges) });
  }
  rows.push({ label: 'Net total', amount: money(totals.net) });
  for (const group of invoice.vatBreakdown) {
    rows.push({ label: vatGroupLabel(group, currency), amount: money(group.tax) });
    if (group.exemptionReason) rows.push({ label: group.exemptionReason, note: true });
  }
  if (invoice.vatBreakdown.length > 1) rows.push({ label: 'VAT total', amount: money(totals.vat) });
  rows.push({ label: 'Total', amount: `${money(totals.gross)} ${currency}`, strong: true });
  if (!isZero(totals.prepaid)) rows.push({ label: 'Paid in advance', amount: money(totals.prepaid) });
  if (!isZero(totals.rounding)) rows.push({ label: 'Rounding', amount: money(totals.rounding) });
  // A quote asks for nothing yet: its total is the offer.
  if (invoice.type === 'quote') return rows;
  // A credit note is not paid by the buyer: its total is what is credited.
  const dueLabel = invoice.type === 'credit_note' ? 'Amount credited' : 'Amount due';
  rows.push({ label: dueLabel, amount: `${money(totals.due)} ${currency}`, strong: true });
  return rows;
}

/** `VAT 19% on 1,000.00`; a category other than standard is named: `VAT 0% (reverse charge) on …`. */
export function vatGroupLabel(group: InvoiceSnapshot['vatBreakdown'][number], currency: string): string {
  const taxable = formatMoney(group.taxable, currency);
  const category = group.category === 'S' ? '' : ` (${vatCategoryLabel(group.category)})`;
  const rate = group.rate !== undefined ? ` ${formatQuantity(group.rate)}%` : '';
  return `VAT${rate}${category} on ${taxable}`;
}

/** Height of the block for these rows, in points. */
export function totalsHeight(doc: Doc, rows: readonly TotalsRow[]): number {
  return rows.reduce((sum, row) => sum + rowHeight(doc, row), 0);
}

/** Draws the block right-aligned from `top`; returns the y below it. */
export function drawTotals(doc: Doc, rows: readonly TotalsRow[], top: number): number {
  let y = top;
  for (const row of rows) {
    if (row.strong) rule(doc, y - 2, BLOCK_X, BLOCK_WIDTH);
    drawRow(doc, row, y);
    y += rowHeight(doc, row);
  }
  return y;
}

function rowHeight(doc: Doc, row: TotalsRow): number {
  if (!row.note) return ROW_HEIGHT;
  doc.font(FONT.regular).fontSize(8);
  return doc.heightOfString(row.label, { width: BLOCK_WIDTH }) + 4;
}

function drawRow(doc: Doc, row: TotalsRow, y: number): void {
  if (row.note) {
    doc.font(FONT.regular).fontSize(8).fillColor(COLOR.muted);
    doc.text(row.label, BLOCK_X, y, { width: BLOCK_WIDTH });
    return;
  }
  doc
    .font(row.strong ? FONT.bold : FONT.regular)
    .fontSize(row.strong ? 10 : 9)
    .fillColor(COLOR.text);
  doc.text(row.label, BLOCK_X, y + 2, { width: LABEL_WIDTH });
  doc.text(row.amount ?? '', BLOCK_X + LABEL_WIDTH, y + 2, { width: AMOUNT_WIDTH, align: 'right' });
}

/** The line table: one row per invoice line, breaking across pages with its header repeated. */
import type { InvoiceLineSnapshot, InvoiceSnapshot } from '@invoice/contracts';
import { formatDecimal, formatMoney, formatQuantity, minorUnits } from '../domain/amount-format.ts';
import {
  COLOR,
  CONTENT_BOTTOM,
  CONTENT_WIDTH,
  FONT,
  LEFT,
  PAGE,
  ensureSpace,
  rule,
  type Doc,
} from './layout.ts';
import { unitLabel } from './labels.ts';

interface Column {
  title: string;
  width: number;
  align: 'left' | 'right';
}

const FIXED: readonly Column[] = [
  { title: 'Qty', width: 70, align: 'right' },
  { title: 'Unit price', width: 72, align: 'right' },
  { title: 'VAT', width: 40, align: 'right' },
  { title: 'Net', width: 78, align: 'right' },
];
const POSITION: Column = { title: '#', width: 24, align: 'left' };
const DESCRIPTION_WIDTH =
  CONTENT_WIDTH - POSITION.width - FIXED.reduce((sum, column) => sum + column.width, 0);
const COLUMNS: readonly Column[] = [
  POSITION,
  { title: 'Description', width: DESCRIPTION_WIDTH, align: 'left' },
  ...FIXED,
];
const PAD_X = 4;
const PAD_Y = 3;
const FONT_SIZE = 9;
const HEADER_HEIGHT = FONT_SIZE + 2 * PAD_Y + 4;
/** A row never grows past a page: an absurdly long description is cut with an ellipsis. */
const MAX_ROW_HEIGHT = CONTENT_BOTTOM - PAGE.margins.top - HEADER_HEIGHT - 20;

/** Draws the header and every line, starting at the cursor. */
export function drawLineTable(doc: Doc, invoice: InvoiceSnapshot): void {
  doc.font(FONT.regular).fontSize(8).fillColor(COLOR.muted);
  doc.text(`Amounts in ${invoice.currency}`, LEFT, doc.y, { width: CONTENT_WIDTH, align: 'right' });
  doc.y += 2;
  ensureSpace(doc, HEADER_HEIGHT + 30);
  drawHeader(doc);
  for (const line of invoice.lines) drawRow(doc, lineCells(line, invoice.currency));
  doc.x = LEFT;
  doc.y += 12;
}

/**
 * The printed cells of one line: position, description (with the item attributes under it, one
 * `name: value` per row), quantity + unit, unit price, VAT, net.
 */
export function lineCells(line: InvoiceLineSnapshot, currency: string): string[] {
  const attributes = (line.attributes ?? []).map(({ name, value }) => `${name}: ${value}`);
  return [
    String(line.position),
    [line.description, ...attributes].join('\n'),
    `${formatQuantity(line.quantity)} ${unitLabel(line.unitCode)}`,
    formatDecimal(line.unitPrice, minorUnits(currency)),
    line.vatRate !== undefined ? `${formatQuantity(line.vatRate)}%` : line.vatCategory,
    formatMoney(line.net, currency),
  ];
}

function drawHeader(doc: Doc): void {
  const top = doc.y;
  doc.save().rect(LEFT, top, CONTENT_WIDTH, HEADER_HEIGHT).fill(COLOR.fill).restore();
  doc.font(FONT.bold).fontSize(FONT_SIZE).fillColor(COLOR.text);
  let x = LEFT;
  for (const column of COLUMNS) {
    doc.text(column.title, x + PAD_X, top + PAD_Y + 2, {
      width: column.width - 2 * PAD_X,
      align: column.align,
    });
    x += column.width;
  }
  doc.x = LEFT;
  doc.y = top + HEADER_HEIGHT;
}

function drawRow(doc: Doc, cells: string[]): void {
  doc.font(FONT.regular).fontSize(FONT_SIZE).fillColor(COLOR.text);
  const height = rowHeight(doc, cells);
  if (ensureSpace(doc, height)) drawHeader(doc);
  doc.font(FONT.regular).fontSize(FONT_SIZE).fillColor(COLOR.text);
  const top = doc.y;
  let x = LEFT;
  cells.forEach((cell, i) => {
    const column = COLUMNS[i] as Column;
    doc.text(cell, x + PAD_X, top + PAD_Y, {
      width: column.width - 2 * PAD_X,
      align: column.align,
      height: height - 2 * PAD_Y,
      ellipsis: true,
    });
    x += column.width;
  });
  rule(doc, top + height);
  doc.x = LEFT;
  doc.y = top + height;
}

function rowHeight(doc: Doc, cells: string[]): number {
  const tallest = Math.max(
    ...cells.map((cell, i) => doc.heightOfString(cell, { width: (COLUMNS[i] as Column).width - 2 * PAD_X })),
  );
  return Math.min(tallest + 2 * PAD_Y, MAX_ROW_HEIGHT);
}

/**
 * Renders an issued invoice snapshot to an A4 PDF. Pure: snapshot in, bytes out. Everything on the
 * page is drawn as text with an embedded font (extractable, no HTML or user markup reaches a
 * renderer), and the metadata dates come from the snapshot so a re-render is byte-identical.
 */
import PDFDocument from 'pdfkit';
import type { InvoiceSnapshot } from '@invoice/contracts';
import { invoiceFonts, shareWordLayouts } from './fonts.ts';
import { drawHeading, drawParties } from './header.ts';
import { documentTitle } from './labels.ts';
import { COLOR, CONTENT_WIDTH, FONT, LEFT, PAGE, ensureSpace, type Doc } from './layout.ts';
import { drawLineTable } from './line-table.ts';
import { drawSummary } from './summary.ts';
import { drawWatermark, watermarkOf } from './watermark.ts';

/** Renders the invoice; rejects when the snapshot cannot be printed (a permanent failure). */
export async function renderInvoicePdf(invoice: InvoiceSnapshot): Promise<Buffer> {
  const doc = createDocument(invoice);
  const bytes = collect(doc);
  drawHeading(doc, invoice);
  drawParties(doc, invoice);
  drawLineTable(doc, invoice);
  drawSummary(doc, invoice);
  drawNotes(doc, invoice);
  drawPageFooters(doc, invoice);
  doc.end();
  return bytes;
}

function createDocument(invoice: InvoiceSnapshot): Doc {
  const issuedAt = new Date(invoice.issuedAt);
  if (Number.isNaN(issuedAt.getTime())) throw new Error('issuedAt is not a timestamp');
  const doc = new PDFDocument({
    size: PAGE.size,
    margins: { ...PAGE.margins },
    bufferPages: true,
    // No default font: pdfkit would otherwise read and parse its Helvetica metrics (AFM) for every
    // document, only for the embedded DejaVu to replace it before the first line is drawn.
    font: '',
    lang: 'en',
    displayTitle: true,
    info: {
      Title: invoice.number,
      Author: invoice.seller.name,
      Subject: `${documentTitle(invoice.type)} ${invoice.number} to ${invoice.buyer.name}`,
      Creator: 'invoice-platform document service',
      CreationDate: issuedAt,
      ModDate: issuedAt,
    },
  });
  const fonts = invoiceFonts();
  // pdfkit takes a parsed fontkit font where its typings only mention paths and buffers.
  doc.registerFont(FONT.regular, fonts.regular as unknown as Buffer);
  doc.registerFont(FONT.bold, fonts.bold as unknown as Buffer);
  for (const face of [FONT.bold, FONT.regular]) {
    shareWordLayouts(doc.font(face) as unknown as Parameters<typeof shareWordLayouts>[0], face);
  }
  return doc;
}

function collect(doc: Doc): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

function drawNotes(doc: Doc, invoice: InvoiceSnapshot): void {
  if (invoice.notes?.trim()) drawSection(doc, 'Notes', invoice.notes.trim());
}

function drawSection(doc: Doc, heading: string, text: string): void {
  ensureSpace(doc, 40);
  doc.font(FONT.bold).fontSize(10).fillColor(COLOR.text).text(heading, LEFT, doc.y, { width: CONTENT_WIDTH });
  // Long text flows onto further pages by itself (pdfkit adds them within the same margins).
  doc
    .font(FONT.regular)
    .fontSize(9)
    .text(text, LEFT, doc.y + 3, { width: CONTENT_WIDTH });
  doc.y += 14;
}

/** "INV-1 · Seller" on the left and "Page 1 of N" on the right of every page (and its VOID/DRAFT stamp). */
function drawPageFooters(doc: Doc, invoice: InvoiceSnapshot): void {
  const { start, count } = doc.bufferedPageRange();
  const y = PAGE.height - PAGE.margins.bottom + 24;
  for (let index = start; index < start + count; index += 1) {
    doc.switchToPage(index);
    // Writing inside the bottom margin must not trigger an automatic page break.
    doc.page.margins.bottom = 0;
    doc.font(FONT.regular).fontSize(8).fillColor(COLOR.muted);
    doc.text(`${invoice.number} · ${invoice.seller.name}`, LEFT, y, {
      width: 300,
      height: 10,
      ellipsis: true,
    });
    const label = `Page ${index - start + 1} of ${count}`;
    doc.text(label, LEFT + CONTENT_WIDTH - 150, y, { width: 150, align: 'right', lineBreak: false });
    doc.page.margins.bottom = PAGE.margins.bottom;
    const watermark = watermarkOf(invoice);
    if (watermark) drawWatermark(doc, watermark);
  }
}

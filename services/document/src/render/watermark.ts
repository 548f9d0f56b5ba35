/** A large diagonal word across every page: VOID on a cancelled invoice, DRAFT on a preview. */
import type { InvoiceSnapshot } from '@invoice/contracts';
import { FONT, PAGE, type Doc } from './layout.ts';

/** The word stamped on a snapshot's pages, if any (`void` → VOID, `draft` → DRAFT). */
export function watermarkOf(invoice: InvoiceSnapshot): string | undefined {
  if (invoice.status === 'void') return 'VOID';
  if (invoice.status === 'draft') return 'DRAFT';
  return undefined;
}

/** Stamps `word` diagonally across the current page, light enough to read the content through. */
export function drawWatermark(doc: Doc, word: string): void {
  const margins = { ...doc.page.margins };
  doc.page.margins.bottom = 0;
  doc
    .save()
    .rotate(-35, { origin: [PAGE.width / 2, PAGE.height / 2] })
    .font(FONT.bold)
    .fontSize(120)
    .fillColor('#d11a1a')
    .fillOpacity(0.18)
    .text(word, 0, PAGE.height / 2 - 70, { width: PAGE.width, align: 'center', lineBreak: false })
    .restore();
  doc.page.margins.bottom = margins.bottom;
}

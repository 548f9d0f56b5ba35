/** The summary under the line table: payment instructions on the left, totals on the right. */
import type { InvoiceSnapshot } from '@invoice/contracts';
import { formatMoney, isZero } from '../domain/amount-format.ts';
import { COLOR, CONTENT_WIDTH, FONT, LEFT, ensureSpace, type Doc } from './layout.ts';
import { BLOCK_WIDTH, drawTotals, totalsHeight, totalsRows } from './totals.ts';

const NOTE_WIDTH = CONTENT_WIDTH - BLOCK_WIDTH - 30;

/** Draws both side by side, on a new page when they do not fit below the cursor. */
export function drawSummary(doc: Doc, invoice: InvoiceSnapshot): void {
  const rows = totalsRows(invoice);
  const payment = paymentInstructions(invoice);
  doc.font(FONT.regular).fontSize(8);
  const paymentHeight = payment ? doc.heightOfString(payment, { width: NOTE_WIDTH }) + 16 : 0;
  ensureSpace(doc, Math.max(totalsHeight(doc, rows), paymentHeight) + 6);
  const top = doc.y;
  if (payment) {
    doc
      .font(FONT.bold)
      .fontSize(9)
      .fillColor(COLOR.text)
      .text('Payment', LEFT, top + 2, { width: NOTE_WIDTH });
    doc
      .font(FONT.regular)
      .fontSize(8)
      .fillColor(COLOR.text)
      .text(payment, LEFT, doc.y + 2, { width: NOTE_WIDTH });
  }
  const bottom = Math.max(drawTotals(doc, rows, top), top + paymentHeight);
  doc.x = LEFT;
  doc.y = bottom + 16;
}

/** "Please pay … by … to IBAN …" when something is due and the seller has an account to pay to. */
export function paymentInstructions(invoice: InvoiceSnapshot): string | undefined {
  const iban = invoice.seller.bankAccount?.iban;
  if (!iban || isZero(invoice.totals.due) || invoice.type !== 'invoice' || invoice.status === 'void')
    return undefined;
  const bic = invoice.seller.bankAccount?.bic;
  const amount = `${formatMoney(invoice.totals.due, invoice.currency)} ${invoice.currency}`;
  const by = invoice.dueDate ? ` by ${invoice.dueDate}` : '';
  return `Please pay ${amount}${by} to IBAN ${iban}${bic ? ` (BIC ${bic})` : ''}, quoting ${invoice.number}.`;
}

/** The top of the first page: title and number, dates, and the seller and buyer blocks. */
import type { InvoiceSnapshot, Party } from '@invoice/contracts';
import { COLOR, CONTENT_WIDTH, FONT, LEFT, PAGE, type Doc } from './layout.ts';
import { countryName, documentTitle, paymentMethodLabel } from './labels.ts';

const META_X = LEFT + 300;
const META_LABEL_WIDTH = 80;
const META_VALUE_WIDTH = CONTENT_WIDTH - 300 - META_LABEL_WIDTH;
const PARTY_WIDTH = 230;
const BUYER_X = LEFT + CONTENT_WIDTH - PARTY_WIDTH;

/** Title, number and the date/currency facts; leaves the cursor below both columns. */
export function drawHeading(doc: Doc, invoice: InvoiceSnapshot): void {
  const top = PAGE.margins.top;
  doc.font(FONT.bold).fontSize(22).fillColor(COLOR.text);
  doc.text(documentTitle(invoice.type), LEFT, top, { width: 280 });
  doc.fontSize(12).text(invoice.number, LEFT, doc.y + 2, { width: 280 });
  const leftBottom = doc.y;

  let y = top + 4;
  for (const [label, value] of metaRows(invoice)) {
    doc.font(FONT.regular).fontSize(9).fillColor(COLOR.muted);
    doc.text(label, META_X, y, { width: META_LABEL_WIDTH });
    doc
      .fillColor(COLOR.text)
      .text(value, META_X + META_LABEL_WIDTH, y, { width: META_VALUE_WIDTH, align: 'right' });
    y = doc.y + 3;
  }
  doc.x = LEFT;
  doc.y = Math.max(leftBottom, y) + 20;
}

/** The facts shown beside the title, in order. */
export function metaRows(invoice: InvoiceSnapshot): [string, string][] {
  const validUntil = validUntilOf(invoice);
  if (validUntil !== undefined) {
    // A quote has a validity instead of a due date.
    return [
      ['Quote date', invoice.issueDate],
      ['Valid until', validUntil],
      ['Currency', invoice.currency],
    ];
  }
  const rows: [string, string][] = [['Issue date', invoice.issueDate]];
  const credited = creditedInvoiceOf(invoice);
  if (credited) {
    // A credit note names the invoice it corrects (EN 16931 BG-3, preceding invoice reference).
    rows.push(['Credits invoice', credited.number], ['Invoice date', credited.issueDate]);
    rows.push(['Currency', invoice.currency]);
    return rows;
  }
  if (invoice.dueDate) rows.push(['Due date', invoice.dueDate]);
  if (invoice.paymentMethod) rows.push(['Payment', paymentMethodLabel(invoice.paymentMethod)]);
  rows.push(['Currency', invoice.currency]);
  return rows;
}

/** "From" (seller) and "Bill to" (buyer) side by side. */
export function drawParties(doc: Doc, invoice: InvoiceSnapshot): void {
  const top = doc.y;
  const sellerBottom = drawParty(doc, 'From', partyLines(invoice.seller, { seller: true }), LEFT, top);
  const buyerBottom = drawParty(doc, 'Bill to', partyLines(invoice.buyer, { seller: false }), BUYER_X, top);
  doc.x = LEFT;
  doc.y = Math.max(sellerBottom, buyerBottom) + 20;
}

function drawParty(doc: Doc, heading: string, lines: string[], x: number, top: number): number {
  doc
    .font(FONT.bold)
    .fontSize(8)
    .fillColor(COLOR.muted)
    .text(heading.toUpperCase(), x, top, { width: PARTY_WIDTH });
  const [name = '', ...rest] = lines;
  doc
    .font(FONT.bold)
    .fontSize(11)
    .fillColor(COLOR.text)
    .text(name, x, doc.y + 3, { width: PARTY_WIDTH });
  doc.font(FONT.regular).fontSize(9);
  for (const line of rest) doc.text(line, x, doc.y + 1, { width: PARTY_WIDTH });
  return doc.y;
}

/** The printed lines of a party, name first. */
export function partyLines(party: Party, options: { seller: boolean }): string[] {
  const lines = [party.name];
  if (party.legalName && party.legalName !== party.name) lines.push(party.legalName);
  lines.push(...addressLines(party.address));
  if (party.taxId) lines.push(`Tax ID: ${party.taxId}`);
  if (party.companyNumber) lines.push(`Company no.: ${party.companyNumber}`);
  if (!options.seller) return lines;
  if (party.email) lines.push(party.email);
  if (party.phone) lines.push(party.phone);
  const bank = party.bankAccount;
  if (bank?.iban) lines.push(`IBAN: ${bank.iban}`);
  if (bank?.bic) lines.push(`BIC: ${bank.bic}`);
  if (bank?.bankName) lines.push(`Bank: ${bank.bankName}`);
  return lines;
}

function addressLines(address: Party['address']): string[] {
  if (!address) return [];
  const cityLine = [address.postalCode, address.city].filter(Boolean).join(' ');
  const lines = [address.line1, address.line2, cityLine, address.region];
  if (address.country) lines.push(countryName(address.country));
  return lines.filter((line): line is string => Boolean(line));
}

/** The invoice a credit note credits (`creditedInvoice` travels with the credit note's snapshot). */
function creditedInvoiceOf(invoice: InvoiceSnapshot): { number: string; issueDate: string } | undefined {
  if (invoice.type !== 'credit_note') return undefined;
  const credited = (invoice as { creditedInvoice?: { number?: unknown; issueDate?: unknown } })
    .creditedInvoice;
  if (typeof credited?.number !== 'string' || typeof credited.issueDate !== 'string') return undefined;
  return { number: credited.number, issueDate: credited.issueDate };
}

/** The last day a quote stands (`validUntil` travels with a quote's snapshot). */
function validUntilOf(invoice: InvoiceSnapshot): string | undefined {
  if (invoice.type !== 'quote') return undefined;
  const validUntil = (invoice as { validUntil?: unknown }).validUntil;
  return typeof validUntil === 'string' ? validUntil : '';
}

/** A credit note as the API answers it. */
import { fixedDecimal, type CreditNote, type InvoiceLine } from '@invoice/contracts';
import { minorUnitsOf } from '../domain/pricing.ts';
import type { CreditNoteRow } from '../db/credit-notes.repository.ts';

/** The credit note resource. */
export function toCreditNote(row: CreditNoteRow): CreditNote {
  const decimals = minorUnitsOf(row.currency);
  return {
    id: row.id,
    type: 'credit_note',
    status: 'issued',
    number: row.number,
    invoiceId: row.invoiceId,
    invoiceNumber: row.invoiceNumber,
    invoiceIssueDate: row.invoiceIssueDate,
    clientId: row.clientId,
    currency: row.currency,
    issueDate: row.issueDate,
    reason: row.reason,
    priceMode: row.priceMode,
    lines: row.lines.map(({ creditedPosition, ...line }) => ({
      ...(line as unknown as InvoiceLine),
      net: fixedDecimal(line.net, decimals),
      creditedPosition,
    })),
    allowances: row.allowances,
    charges: row.charges,
    totals: row.totals,
    vatBreakdown: row.vatBreakdown,
    taxBreakdown: row.taxBreakdown,
    seller: row.seller,
    buyer: row.buyer,
    issuedAt: row.issuedAt.toISOString(),
  };
}

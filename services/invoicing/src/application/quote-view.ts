/** Stored quotes → API bodies: amounts printed with the currency's decimals, quantities and prices canonical. */
import { fixedDecimal, type Quote, type QuoteSummary, type Totals } from '@invoice/contracts';
import { minorUnitsOf } from '../domain/pricing.ts';
import type { QuoteRow } from '../db/quotes.repository.ts';
import { quoteLineInputs } from './quote-support.ts';

const iso = (value: Date | null) => (value ? value.toISOString() : null);

function totalsOf(totals: Totals, decimals: number): Totals {
  const money = (value: string) => fixedDecimal(value, decimals);
  return {
    lineNet: money(totals.lineNet),
    allowances: money(totals.allowances),
    charges: money(totals.charges),
    net: money(totals.net),
    vat: money(totals.vat),
    otherTax: money(totals.otherTax),
    gross: money(totals.gross),
    prepaid: money(totals.prepaid),
    rounding: money(totals.rounding),
    due: money(totals.due),
  };
}

/** The list item of a quote. */
export function toQuoteSummary(row: QuoteRow): QuoteSummary {
  return {
    id: row.id,
    type: 'quote',
    status: row.status,
    number: row.number,
    clientId: row.clientId,
    buyerName: row.buyer?.name ?? null,
    currency: row.currency,
    issueDate: row.issueDate,
    validUntil: row.validUntil,
    totals: totalsOf(row.totals, minorUnitsOf(row.currency)),
    invoiceId: row.invoiceId,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The full quote. */
export function toQuote(row: QuoteRow): Quote {
  const decimals = minorUnitsOf(row.currency);
  const inputs = quoteLineInputs(row.lines);
  return {
    ...toQuoteSummary(row),
    paymentMethod: row.paymentMethod,
    notes: row.notes,
    priceMode: row.priceMode,
    lines: row.lines.map((line, i) => ({
      position: line.position,
      ...inputs[i]!,
      net: fixedDecimal(line.net, decimals),
    })),
    allowances: row.allowances,
    charges: row.charges,
    vatBreakdown: row.vatBreakdown,
    taxBreakdown: row.taxBreakdown,
    seller: row.seller,
    buyer: row.buyer,
    sentAt: iso(row.sentAt),
    acceptedAt: iso(row.acceptedAt),
    acceptedBy: row.acceptedBy,
    declinedAt: iso(row.declinedAt),
    declinedBy: row.declinedBy,
    declineReason: row.declineReason,
    expiredAt: iso(row.expiredAt),
    convertedAt: iso(row.convertedAt),
    convertedBy: row.convertedBy,
  };
}

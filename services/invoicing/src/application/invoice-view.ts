/** Stored invoices → API bodies: amounts printed with the currency's decimals, quantities and prices canonical. */
import {
  fixedDecimal,
  type Invoice,
  type InvoiceLine,
  type InvoiceSummary,
  type Totals,
} from '@invoice/contracts';
import { minorUnitsOf } from '../domain/pricing.ts';
import { lineInput } from '../db/invoice-mapping.ts';
import type { InvoiceLineRow } from '../db/invoice-line.entity.ts';
import type { InvoiceSummaryRow } from '../db/invoice-list.repository.ts';
import type { StoredInvoice } from '../db/invoices.repository.ts';

function totalsOf(row: InvoiceSummaryRow, decimals: number): Totals {
  const money = (value: string) => fixedDecimal(value, decimals);
  return {
    lineNet: money(row.totalLineNet),
    allowances: money(row.totalAllowances),
    charges: money(row.totalCharges),
    net: money(row.totalNet),
    vat: money(row.totalVat),
    otherTax: money(row.totalOtherTax),
    gross: money(row.totalGross),
    prepaid: money(row.totalPrepaid),
    rounding: money(row.totalRounding),
    due: money(row.totalDue),
  };
}

function lineOf(row: InvoiceLineRow, decimals: number): InvoiceLine {
  return { position: row.position, ...lineInput(row), net: fixedDecimal(row.net, decimals) };
}

const iso = (value: Date | null) => (value ? value.toISOString() : null);

/** The list item of an invoice. */
export function toInvoiceSummary(row: InvoiceSummaryRow): InvoiceSummary {
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    number: row.number,
    clientId: row.clientId,
    buyerName: row.buyerName,
    currency: row.currency,
    issueDate: row.issueDate,
    dueDate: row.dueDate,
    totals: totalsOf(row, minorUnitsOf(row.currency)),
    version: row.version,
    issuedAt: iso(row.issuedAt),
    lastSentAt: iso(row.lastSentAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The full invoice. */
export function toInvoice({ invoice: row, lines }: StoredInvoice): Invoice {
  const decimals = minorUnitsOf(row.currency);
  return {
    ...toInvoiceSummary({ ...row, buyerName: row.buyer?.name ?? null }),
    paymentTermsDays: row.paymentTermsDays,
    paymentMethod: row.paymentMethod,
    notes: row.notes,
    priceMode: row.priceMode,
    lines: lines.map((line) => lineOf(line, decimals)),
    allowances: row.allowances,
    charges: row.charges,
    prepaid: fixedDecimal(row.prepaid ?? '0', decimals),
    vatBreakdown: row.vatBreakdown,
    taxBreakdown: row.taxBreakdown,
    seller: row.seller,
    buyer: row.buyer,
    paid: fixedDecimal(row.totalPaid, decimals),
    credited: fixedDecimal(row.totalCredited, decimals),
    creditBalance: fixedDecimal(row.creditBalance, decimals),
    voidReason: row.voidReason,
    voidedAt: iso(row.voidedAt),
    quoteId: row.quoteId ?? null,
  };
}

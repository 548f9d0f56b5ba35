/**
 * Between the engine's shapes and the rows: pricing results become total columns and line nets;
 * stored lines become engine lines again (numeric padding removed, absent fields left out).
 */
import { canonicalDecimal, type DocumentPricingResult, type LineInput } from '@invoice/contracts';
import type { PricingState } from '../domain/pricing.ts';
import type { InvoiceLineRow } from './invoice-line.entity.ts';
import type { InvoiceRow } from './invoice.entity.ts';

/** The total columns of an invoice row, from the engine's totals. */
export function totalsColumns(pricing: DocumentPricingResult) {
  const { totals } = pricing;
  return {
    totalLineNet: totals.lineNet,
    totalAllowances: totals.allowances,
    totalCharges: totals.charges,
    totalNet: totals.net,
    totalVat: totals.vat,
    totalOtherTax: totals.otherTax,
    totalGross: totals.gross,
    totalPrepaid: totals.prepaid,
    totalRounding: totals.rounding,
    totalDue: totals.due,
    vatBreakdown: pricing.vatBreakdown,
    taxBreakdown: pricing.taxBreakdown,
  } satisfies Partial<InvoiceRow>;
}

/** The pricing inputs and results as invoice row columns. */
export function pricingColumns(state: PricingState, pricing: DocumentPricingResult) {
  return {
    currency: state.currency,
    priceMode: state.priceMode,
    allowances: state.allowances,
    charges: state.charges,
    prepaid: state.prepaid ?? null,
    ...totalsColumns(pricing),
  };
}

/** Line rows (positions from 1) with the engine's nets. */
export function lineRows(
  invoiceId: string,
  lines: readonly LineInput[],
  pricing: DocumentPricingResult,
): InvoiceLineRow[] {
  return lines.map((line, index) => ({
    invoiceId,
    position: index + 1,
    productId: line.productId ?? null,
    description: line.description,
    quantity: line.quantity,
    unitCode: line.unitCode,
    unitPrice: line.unitPrice,
    priceBaseQuantity: line.priceBaseQuantity ?? null,
    grossUnitPrice: line.grossUnitPrice ?? null,
    allowances: line.allowances ?? [],
    charges: line.charges ?? [],
    vatCategory: line.vatCategory,
    vatRate: line.vatRate ?? null,
    vatExemptionReason: line.vatExemptionReason ?? null,
    vatExemptionReasonCode: line.vatExemptionReasonCode ?? null,
    taxes: line.taxes ?? [],
    attributes: line.attributes ?? [],
    net: pricing.lines[index]?.net ?? '0',
  }));
}

/** A stored line as the engine's input (what was entered, in canonical decimal form). */
export function lineInput(row: InvoiceLineRow): LineInput {
  const line: LineInput = {
    description: row.description,
    quantity: canonicalDecimal(row.quantity),
    unitCode: row.unitCode,
    unitPrice: canonicalDecimal(row.unitPrice),
    vatCategory: row.vatCategory,
  };
  if (row.productId) line.productId = row.productId;
  if (row.priceBaseQuantity !== null) line.priceBaseQuantity = canonicalDecimal(row.priceBaseQuantity);
  if (row.grossUnitPrice !== null) line.grossUnitPrice = canonicalDecimal(row.grossUnitPrice);
  if (row.allowances.length > 0) line.allowances = row.allowances;
  if (row.charges.length > 0) line.charges = row.charges;
  if (row.vatRate !== null) line.vatRate = canonicalDecimal(row.vatRate);
  if (row.vatExemptionReason !== null) line.vatExemptionReason = row.vatExemptionReason;
  if (row.vatExemptionReasonCode !== null) line.vatExemptionReasonCode = row.vatExemptionReasonCode;
  if (row.taxes.length > 0) line.taxes = row.taxes;
  if (row.attributes.length > 0) line.attributes = row.attributes;
  return line;
}

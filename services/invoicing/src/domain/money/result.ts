/**
 * Turns the engine's decimals into the public result: every amount a string with exactly the currency's
 * minor-unit decimals ("0.00", JPY "1200", BHD "1.250"); rates and percentages with at least 2 decimals.
 */
import type {
  AllowanceChargeResult,
  AppliedTax,
  DocumentAllowanceChargeResult,
  LineResult,
  TaxBreakdown,
  VatBreakdown,
} from '@invoice/contracts';
import type { PricedAllowanceCharge, PricedDocumentAllowanceCharge } from './allowance-charge.ts';
import type { TaxGroup } from './breakdown.ts';
import { atLeast, fixed } from './decimal.ts';
import { netUnitPriceFromGross, netUnitPriceTextFromGross } from './gross-mode.ts';
import type { PricedLine } from './line.ts';
import type { ResolvedTax } from './vat.ts';

function appliedTaxes(taxes: readonly ResolvedTax[]): AppliedTax[] {
  if (taxes.length < 2) return [];
  return taxes.slice(1).map((tax) => {
    const applied: AppliedTax = { scheme: tax.scheme, category: tax.category };
    if (tax.rateText !== undefined) applied.rate = tax.rateText;
    return applied;
  });
}

function allowanceCharge(item: PricedAllowanceCharge, minorUnits: number): AllowanceChargeResult {
  const result: AllowanceChargeResult = { amount: fixed(item.amount, minorUnits) };
  if (item.base !== undefined) result.base = fixed(item.base, minorUnits);
  if (item.percent !== undefined) result.percent = atLeast(item.percent, 2);
  if (item.reason !== undefined) result.reason = item.reason;
  if (item.reasonCode !== undefined) result.reasonCode = item.reasonCode;
  return result;
}

/** Matches a price already written the way `atLeast(price, minorUnits)` would write it ("19.99" for EUR). */
const CANONICAL_PRICE = [0, 1, 2, 3, 4].map(
  (n) => new RegExp(`^(0|[1-9]\\d*)${n > 0 ? `\\.\\d{${n}}` : ''}$`),
);

/** A priced line as the API returns it; `amount`, allowances and charges are in the price mode. */
export function lineResult(line: PricedLine, minorUnits: number, gross: boolean): LineResult {
  const vat = line.taxes[0] as ResolvedTax;
  const netPriceText = gross
    ? netUnitPriceTextFromGross(line.unitPrice, vat.rate, minorUnits)
    : CANONICAL_PRICE[minorUnits]?.test(line.unitPriceText)
      ? line.unitPriceText
      : undefined;
  const amount = fixed(line.amount, minorUnits);
  const result: LineResult = {
    amount,
    allowances:
      line.allowances.length === 0 ? [] : line.allowances.map((a) => allowanceCharge(a, minorUnits)),
    charges: line.charges.length === 0 ? [] : line.charges.map((c) => allowanceCharge(c, minorUnits)),
    net: line.net === line.amount ? amount : fixed(line.net, minorUnits),
    netUnitPrice: netPriceText ?? atLeast(line.unitPrice, minorUnits),
    vatCategory: vat.category,
    taxes: appliedTaxes(line.taxes),
  };
  if (gross) result.gross = line.entered === line.amount ? amount : fixed(line.entered, minorUnits);
  if (line.grossUnitPrice) {
    const netPrice = gross ? netUnitPriceFromGross(line.unitPrice, vat.rate) : line.unitPrice;
    const grossPrice = gross ? netUnitPriceFromGross(line.grossUnitPrice, vat.rate) : line.grossUnitPrice;
    result.priceDiscount = atLeast(grossPrice.minus(netPrice), minorUnits);
  }
  if (vat.rateText !== undefined) result.vatRate = vat.rateText;
  return result;
}

/** A document-level allowance or charge; `amount` is net (BT-92/BT-99), `grossAmount` as entered. */
export function documentAllowanceChargeResult(
  item: PricedDocumentAllowanceCharge,
  minorUnits: number,
  gross: boolean,
): DocumentAllowanceChargeResult {
  const vat = item.taxes[0] as ResolvedTax;
  return {
    ...allowanceCharge(item, minorUnits),
    amount: fixed(item.net, minorUnits),
    vatCategory: vat.category,
    ...(vat.rateText === undefined ? {} : { vatRate: vat.rateText }),
    taxes: appliedTaxes(item.taxes),
    ...(gross ? { grossAmount: fixed(item.amount, minorUnits) } : {}),
  };
}

/** The VAT breakdown (BG-23) and the stacked-tax breakdown from the computed groups. */
export function breakdownResults(
  groups: readonly TaxGroup[],
  minorUnits: number,
): { vatBreakdown: VatBreakdown[]; taxBreakdown: TaxBreakdown[] } {
  const vatBreakdown: VatBreakdown[] = [];
  const taxBreakdown: TaxBreakdown[] = [];
  for (const group of groups) {
    const common = {
      category: group.category,
      ...(group.rate === undefined ? {} : { rate: atLeast(group.rate, 2) }),
      taxable: fixed(group.taxable, minorUnits),
      tax: fixed(group.tax, minorUnits),
      ...(group.exemptionReason === undefined ? {} : { exemptionReason: group.exemptionReason }),
    };
    if (group.scheme === 'VAT') {
      const code = group.exemptionReasonCode;
      vatBreakdown.push({ ...common, ...(code === undefined ? {} : { exemptionReasonCode: code }) });
    } else {
      taxBreakdown.push({ scheme: group.scheme, ...common });
    }
  }
  return { vatBreakdown, taxBreakdown };
}

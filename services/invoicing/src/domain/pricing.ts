/**
 * The one door to the money engine: every draft and every issued invoice is priced by `computeTotals`,
 * so the totals the API shows, the columns store and the issued event carries are the engine's strings.
 */
import {
  compact,
  type AllowanceCharge,
  type DocumentPricingInput,
  type DocumentPricingResult,
  type LineInput,
  type PriceMode,
} from '@invoice/contracts';
import { assertEn16931Invariants, computeTotals, currencyInfo } from './money/index.ts';

/** The priced part of an invoice. */
export interface PricingState {
  currency: string;
  priceMode: PriceMode;
  lines: LineInput[];
  allowances: AllowanceCharge[];
  charges: AllowanceCharge[];
  prepaid: string | undefined;
}

function toEngineInput(state: PricingState): DocumentPricingInput {
  return {
    currency: state.currency,
    priceMode: state.priceMode,
    lines: state.lines,
    ...compact({
      allowances: state.allowances.length > 0 ? state.allowances : undefined,
      charges: state.charges.length > 0 ? state.charges : undefined,
      prepaid: state.prepaid,
    }),
  };
}

/** Prices a draft; a draft may still have no lines. */
export function priceDraft(state: PricingState): DocumentPricingResult {
  return computeTotals(toEngineInput(state), { allowEmptyLines: true });
}

/**
 * Prices an invoice about to be issued: it needs at least one line (EMPTY_LINES), and the result is
 * checked again against the EN 16931 business rules before it is frozen (a safety net, as the engine
 * suggests: a broken result must never become a numbered document).
 */
export function priceForIssue(state: PricingState): DocumentPricingResult {
  const result = computeTotals(toEngineInput(state));
  assertEn16931Invariants(result);
  return result;
}

/** Minor-unit decimals of a currency (EUR 2, JPY 0), to print stored numeric amounts as the engine does. */
export function minorUnitsOf(currency: string): number {
  return currencyInfo(currency).minorUnits;
}

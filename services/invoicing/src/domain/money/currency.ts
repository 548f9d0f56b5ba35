/**
 * Currencies as the engine uses them: the ISO 4217 minor units (from contracts' reference list) and
 * the customary cash-rounding increments of the few currencies that have one.
 */
import { AppError, CURRENCY_MINOR_UNITS } from '@invoice/contracts';

/**
 * Cash-rounding increments where coins below them were withdrawn (used only when a document asks for
 * `cashRoundingIncrement: "currency"`; bank transfers are not rounded by default).
 */
const CASH_INCREMENTS: ReadonlyMap<string, string> = new Map([
  ['CHF', '0.05'],
  ['AUD', '0.05'],
  ['CAD', '0.05'],
  ['NZD', '0.10'],
  ['DKK', '0.50'],
  ['SEK', '1'],
  ['NOK', '1'],
  ['CZK', '1'],
  ['HUF', '5'],
]);

/** A currency as the engine uses it. */
export interface CurrencyInfo {
  code: string;
  /** ISO 4217 minor unit: decimals of every amount (JPY 0, EUR 2, BHD 3). */
  minorUnits: number;
  /** Customary cash-rounding increment as a decimal string, if the currency has one. */
  cashIncrement: string | undefined;
}

/** Looks a currency up; throws UNKNOWN_CURRENCY naming `field` when it is not an active ISO 4217 code. */
export function currencyInfo(code: string, field = '/currency'): CurrencyInfo {
  const minorUnits = CURRENCY_MINOR_UNITS.get(code);
  if (minorUnits === undefined) {
    throw AppError.field(
      'UNKNOWN_CURRENCY',
      field,
      `${JSON.stringify(code)} is not an active ISO 4217 currency code`,
    );
  }
  return { code, minorUnits, cashIncrement: CASH_INCREMENTS.get(code) };
}

/**
 * Rejects amounts in another currency than the document's (e.g. a catalog product priced in USD on a EUR
 * invoice): throws CURRENCY_MISMATCH naming every offending field. There is no implicit conversion.
 */
export function assertSameCurrency(
  documentCurrency: string,
  items: readonly { field: string; currency: string }[],
): void {
  const errors = items
    .filter((item) => item.currency !== documentCurrency)
    .map((item) => ({
      field: item.field,
      message: `is in ${item.currency}, but the document is in ${documentCurrency}`,
      code: 'CURRENCY_MISMATCH' as const,
    }));
  if (errors.length > 0) {
    throw new AppError('CURRENCY_MISMATCH', {
      detail: `Every amount must be in ${documentCurrency}`,
      errors,
    });
  }
}

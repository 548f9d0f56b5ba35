/**
 * ISO 4217 active currency codes with their minor units (the number of decimals an amount may have),
 * and the customary cash-rounding increments of the few currencies that have one.
 * Source: ISO 4217 list one (SIX, 2025 amendments: XCG replaces ANG, ZWG replaces ZWL). Codes whose minor
 * unit is "N.A." (precious metals, XDR, test codes) are left out: an invoice cannot be priced in them.
 */
import { AppError } from '@invoice/contracts';

const ZERO_DECIMALS = 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF';
const THREE_DECIMALS = 'BHD IQD JOD KWD LYD OMR TND';
const FOUR_DECIMALS = 'CLF UYW';
const TWO_DECIMALS =
  'AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD ' +
  'CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD ' +
  'GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA ' +
  'MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR ' +
  'RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD ' +
  'TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG';

const MINOR_UNITS: ReadonlyMap<string, number> = new Map(
  (
    [
      [ZERO_DECIMALS, 0],
      [TWO_DECIMALS, 2],
      [THREE_DECIMALS, 3],
      [FOUR_DECIMALS, 4],
    ] as const
  ).flatMap(([codes, digits]) => codes.split(' ').map((code) => [code, digits] as const)),
);

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

/** All active ISO 4217 codes the engine accepts, sorted. */
export const CURRENCY_CODES: readonly string[] = [...MINOR_UNITS.keys()].sort();

/** True when `code` is an active ISO 4217 code with a minor unit. */
export function isKnownCurrency(code: string): boolean {
  return MINOR_UNITS.has(code);
}

/** Looks a currency up; throws UNKNOWN_CURRENCY naming `field` when it is not an active ISO 4217 code. */
export function currencyInfo(code: string, field = '/currency'): CurrencyInfo {
  const minorUnits = MINOR_UNITS.get(code);
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

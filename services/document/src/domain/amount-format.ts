/**
 * Prints decimal strings exactly as the snapshot states them: digits are regrouped and padded,
 * never converted to binary floating point and never rounded.
 */
import { CURRENCY_MINOR_UNITS } from '@invoice/contracts';

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** A value that is not a plain decimal string (a snapshot that can never be printed). */
export class InvalidAmountError extends Error {
  constructor(value: unknown) {
    super(`not a decimal string: ${JSON.stringify(value)}`);
    this.name = 'InvalidAmountError';
  }
}

/** Decimals an amount in `currency` shows (JPY 0, EUR 2, BHD 3; an unlisted code gets 2). */
export function minorUnits(currency: string): number {
  return CURRENCY_MINOR_UNITS.get(currency) ?? 2;
}

/**
 * Groups the integer part by thousands with `,` and shows at least `minFraction` decimals; extra
 * decimals are kept when they are not zeros, so the printed value always equals the input.
 */
export function formatDecimal(value: string, minFraction: number): string {
  const match = typeof value === 'string' ? DECIMAL.exec(value) : null;
  if (!match) throw new InvalidAmountError(value);
  const [, sign = '', integer = '0', fraction = ''] = match;
  const digits = integer.replace(/^0+(?=\d)/, '');
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const kept = fraction.replace(/0+$/, '').padEnd(minFraction, '0');
  return `${sign}${grouped}${kept ? `.${kept}` : ''}`;
}

/** An amount of money in its currency's decimals: `"1190"` in EUR → `"1,190.00"`. */
export function formatMoney(value: string, currency: string): string {
  return formatDecimal(value, minorUnits(currency));
}

/** A quantity or a rate without trailing zeros: `"2.500000"` → `"2.5"`. */
export function formatQuantity(value: string): string {
  return formatDecimal(value, 0);
}

/** True when the decimal string is zero (`"0"`, `"0.00"`, `"-0.0"`). */
export function isZero(value: string): boolean {
  return /^-?0+(\.0+)?$/.test(value);
}

/**
 * Exact decimal arithmetic for money, and the parse-and-validate helpers that turn request strings into
 * decimals while collecting field errors (JSON pointers into the request body).
 */
import * as decimalJs from 'decimal.js';
import { AppError, type ErrorCode, type FieldError } from '@invoice/contracts';

/**
 * The engine's decimal type. 50 significant digits hold the exact product of two numbers of 15 integer and
 * 6 fraction digits (42 digits), so multiplication never rounds; ROUND_HALF_UP in decimal.js rounds half
 * away from zero, the rule EN 16931 assumes (BR-CO-17) and the one that keeps credit notes symmetric.
 */
// decimal.js ships ESM (default export) at runtime but CommonJS typings, which make TypeScript see one
// `default` too many under nodenext; at runtime the namespace's `default` is the class (ESM and CJS alike).
const Decimal = (decimalJs as unknown as { default: typeof decimalJs.Decimal }).default;

export const Dec = Decimal.clone({
  precision: 50,
  rounding: Decimal.ROUND_HALF_UP,
  toExpNeg: -60,
  toExpPos: 60,
});
/** A decimal value of the engine. */
export type Dec = decimalJs.Decimal;

export const ZERO: Dec = new Dec(0);
export const ONE: Dec = new Dec(1);
export const HUNDRED: Dec = new Dec(100);
/** 1/100, exact: multiplying by it is cheaper than dividing by 100. */
export const PERCENT: Dec = new Dec('0.01');

/** Amounts, quantities and prices fit numeric(19,4)-like columns: at most 15 integer digits. */
export const MAX_INTEGER_DIGITS = 15;
/** Quantities, unit prices, rates and percentages may have up to 6 decimals. */
export const MAX_INPUT_DECIMALS = 6;

/** What a parsed value must satisfy. */
export interface ParseRule {
  maxDecimals: number;
  sign?: 'any' | 'nonNegative' | 'positive';
  /** Why the sign rule exists, appended to the message (e.g. "BR-27"). */
  because?: string;
}

/**
 * Scans `-?digits(.digits)?` in one pass without allocating: returns the significant integer digits
 * (no leading zeros) and fraction decimals (no trailing zeros) as integer × 10000 + decimals, or -1 when the
 * text is not such a number (exponents, commas, spaces, "+", ".5" and "5." are rejected).
 */
function scanDecimal(text: string): number {
  let i = text.charCodeAt(0) === 45 ? 1 : 0;
  const intStart = i;
  let firstNonZero = -1;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) break;
    if (c < 48 || c > 57) return -1;
    if (firstNonZero < 0 && c !== 48) firstNonZero = i;
  }
  const intEnd = i;
  if (intEnd === intStart) return -1;
  let decimals = 0;
  if (i < text.length) {
    const fractionStart = i + 1;
    if (fractionStart === text.length) return -1;
    for (i = fractionStart; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) return -1;
      if (c !== 48) decimals = i - fractionStart + 1;
    }
  }
  const integerDigits = firstNonZero < 0 ? 0 : intEnd - firstNonZero;
  return integerDigits * 10000 + Math.min(decimals, 9999);
}

/** Adds one field error. */
export function addError(errors: FieldError[], code: ErrorCode, field: string, message: string): void {
  errors.push({ field, message, code });
}

/**
 * Parses a decimal string; on failure records INVALID_AMOUNT, AMOUNT_OUT_OF_RANGE or TOO_MANY_DECIMALS
 * for `field` and returns undefined. Trailing fraction zeros do not count as decimals ("1200.00" JPY is 1200).
 */
export function parseDecimal(
  value: unknown,
  field: string,
  errors: FieldError[],
  rule: ParseRule,
): Dec | undefined {
  const scanned = typeof value === 'string' ? scanDecimal(value) : -1;
  if (scanned < 0) {
    addError(errors, 'INVALID_AMOUNT', field, 'must be a decimal number as a string, e.g. "1234.50"');
    return undefined;
  }
  const integerDigits = Math.floor(scanned / 10000);
  const decimals = scanned % 10000;
  if (integerDigits > MAX_INTEGER_DIGITS) {
    addError(errors, 'AMOUNT_OUT_OF_RANGE', field, `must have at most ${MAX_INTEGER_DIGITS} integer digits`);
    return undefined;
  }
  if (decimals > rule.maxDecimals) {
    addError(errors, 'TOO_MANY_DECIMALS', field, `must have at most ${rule.maxDecimals} decimals`);
    return undefined;
  }
  const parsed = new Dec(value as string);
  const result = parsed.isZero() ? ZERO : parsed;
  if (rule.sign === undefined || rule.sign === 'any') return result;
  const because = rule.because ? ` (${rule.because})` : '';
  if (rule.sign === 'nonNegative' && result.isNegative()) {
    addError(errors, 'AMOUNT_OUT_OF_RANGE', field, `must not be negative${because}`);
    return undefined;
  }
  if (rule.sign === 'positive' && (result.isZero() || result.isNegative())) {
    addError(errors, 'AMOUNT_OUT_OF_RANGE', field, `must be greater than zero${because}`);
    return undefined;
  }
  return result;
}

/** True when a computed amount still fits 15 integer digits (`e` is the exponent of its leading digit). */
export function fitsRange(value: Dec): boolean {
  return value.e < MAX_INTEGER_DIGITS;
}

/** Rounds half away from zero to `decimals` places (a no-op, without allocation, when already there). */
export function round(value: Dec, decimals: number): Dec {
  if (value.decimalPlaces() <= decimals) return value;
  const rounded = value.toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP);
  return rounded.isZero() ? ZERO : rounded;
}

/** Sum of decimals (ZERO for none). */
export function sum(values: readonly Dec[]): Dec {
  let total = values[0] ?? ZERO;
  for (let i = 1; i < values.length; i++) total = total.plus(values[i] as Dec);
  return total;
}

/**
 * Formats with exactly `decimals` places, never "-0.00". Amounts are already rounded, so this pads
 * `toString()` instead of calling `toFixed`, which would allocate and round a copy (the hot path of output).
 */
export function fixed(value: Dec, decimals: number): string {
  if (value.isZero()) return decimals === 0 ? '0' : `0.${'0'.repeat(decimals)}`;
  const have = value.decimalPlaces();
  if (have > decimals) return value.toFixed(decimals);
  const text = value.toString();
  if (have === decimals) return text;
  return `${text}${have === 0 ? '.' : ''}${'0'.repeat(decimals - have)}`;
}

/** Formats with at least `decimals` places and no trailing zeros beyond them ("19.00", "9.975"). */
export function atLeast(value: Dec, decimals: number): string {
  return fixed(value, Math.max(decimals, value.decimalPlaces()));
}

/** Canonical text of a value for grouping keys ("19", "19.0" and "19.00" are the same rate). */
export function canonical(value: Dec): string {
  return value.toFixed();
}

/**
 * Throws the collected field errors as one AppError: with their shared code when they all agree,
 * otherwise VALIDATION_FAILED (each field error keeps its own code).
 */
export function throwIfErrors(errors: readonly FieldError[]): void {
  const first = errors[0];
  if (!first) return;
  const code = errors.every((error) => error.code === first.code)
    ? (first.code ?? 'VALIDATION_FAILED')
    : 'VALIDATION_FAILED';
  const detail =
    errors.length === 1 ? `${first.field} ${first.message}` : `${errors.length} fields are not valid`;
  throw new AppError(code, { detail, errors: [...errors] });
}

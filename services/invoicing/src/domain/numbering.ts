/**
 * Document numbers: a per-organization, per-type series whose prefix may carry the issue year
 * (`INV-{YYYY}-`), so the counter restarts each year. The sequence itself is assigned under a row lock
 * in the issue transaction; this module only formats.
 */
import type { IsoDate } from '@invoice/contracts';

/** Prefix of invoice numbers unless the organization chose another. */
export const DEFAULT_INVOICE_PREFIX = 'INV-{YYYY}-';
/** Digits of the zero-padded sequence (`000001`). */
export const SEQUENCE_DIGITS = 6;

/** The token of a prefix template that stands for the issue year. */
export const YEAR_TOKEN = '{YYYY}';

/**
 * The counter a number is drawn from: the issue year when the prefix shows the year (numbers restart
 * on 1 January), otherwise one counter forever (`''`).
 */
export function seriesPeriod(prefixTemplate: string, issueDate: IsoDate): string {
  return prefixTemplate.includes(YEAR_TOKEN) ? issueDate.slice(0, 4) : '';
}

/** The prefix with its `{YYYY}` token replaced by the issue year. */
export function expandPrefix(prefixTemplate: string, issueDate: IsoDate): string {
  return prefixTemplate.replaceAll(YEAR_TOKEN, issueDate.slice(0, 4));
}

/** `INV-2026-` + 1 → `INV-2026-000001`. Sequences beyond the padding keep all their digits. */
export function formatDocumentNumber(prefix: string, sequence: number, digits = SEQUENCE_DIGITS): string {
  if (!Number.isSafeInteger(sequence) || sequence < 1) {
    throw new RangeError(`sequence must be a positive integer, got ${sequence}`);
  }
  return `${prefix}${String(sequence).padStart(digits, '0')}`;
}

/**
 * How a number is formatted for this issue date, for the issue statement that draws the sequence and
 * writes the number in one go: `{YYYY}` in the series prefix becomes `year`, and the sequence is
 * zero-padded to `digits` (the same rule as {@link expandPrefix} and {@link formatDocumentNumber}).
 */
export function numberFormat(issueDate: IsoDate): { yearToken: string; year: string; digits: number } {
  return { yearToken: YEAR_TOKEN, year: issueDate.slice(0, 4), digits: SEQUENCE_DIGITS };
}

/**
 * Number series: per organization and document type, a pattern of literal text and tokens — `{YYYY}`,
 * `{YY}`, `{MM}` (of the issue date) and one `{SEQ:n}` (the sequence, zero-padded to n digits) — and a
 * reset period (never, yearly, monthly) that decides which counter a number is drawn from. This module
 * validates patterns and picks counters; the number itself is formatted in exactly one place, the
 * database function `document_number` (see the number-series settings migration), inside the statement
 * that draws the sequence.
 */
import { AppError, type FieldError, type IsoDate } from '@invoice/contracts';

/** Document types with a number series. */
export type DocumentType = 'invoice' | 'credit_note' | 'quote';
export const DOCUMENT_TYPES: readonly DocumentType[] = ['invoice', 'credit_note', 'quote'];

/** When a series starts again at 1. */
export type ResetPeriod = 'never' | 'yearly' | 'monthly';

/** A series' settings. */
export interface SeriesSettings {
  pattern: string;
  reset: ResetPeriod;
}

/** What each document type is numbered by until the organization sets its own series. */
export const DEFAULT_SERIES: Readonly<Record<DocumentType, SeriesSettings>> = {
  invoice: { pattern: 'INV-{YYYY}-{SEQ:6}', reset: 'yearly' },
  credit_note: { pattern: 'CN-{YYYY}-{SEQ:6}', reset: 'yearly' },
  quote: { pattern: 'QUO-{YYYY}-{SEQ:6}', reset: 'yearly' },
};

/** Longest pattern accepted (numbers go into file names and e-invoices). */
export const MAX_PATTERN_LENGTH = 60;
/** Zero-padding of `{SEQ:n}`: 1 to 12 digits. */
export const MAX_SEQUENCE_DIGITS = 12;

const TOKEN = /\{(YYYY|YY|MM|SEQ:(\d+))\}/g;
/** Literal text: letters, digits and `-_./#` (no braces, so a token is never ambiguous). */
const LITERAL = /^[A-Za-z0-9._/#-]*$/;

/** The problems of a pattern for a reset period (empty when it is valid). */
export function patternProblems(settings: SeriesSettings): FieldError[] {
  const { pattern, reset } = settings;
  const problem = (message: string): FieldError[] => [
    { field: '/pattern', message, code: 'VALIDATION_FAILED' },
  ];
  if (pattern.length === 0 || pattern.length > MAX_PATTERN_LENGTH) {
    return problem(`must have 1 to ${MAX_PATTERN_LENGTH} characters`);
  }
  const tokens = [...pattern.matchAll(TOKEN)];
  if (!LITERAL.test(pattern.replace(TOKEN, ''))) {
    return problem(
      'literal text may use letters, digits and - _ . / # only; tokens are {YYYY} {YY} {MM} {SEQ:n}',
    );
  }
  const sequences = tokens.filter((token) => token[2] !== undefined);
  if (sequences.length !== 1) return problem('needs exactly one {SEQ:n}');
  const digits = Number(sequences[0]?.[2]);
  if (digits < 1 || digits > MAX_SEQUENCE_DIGITS) {
    return problem(`{SEQ:n} pads to 1 to ${MAX_SEQUENCE_DIGITS} digits`);
  }
  const has = (name: string) => tokens.some((token) => token[1] === name);
  const year = has('YYYY') || has('YY');
  // A counter that restarts must show the period in the number, or a number would come back.
  if (reset === 'yearly' && !year) return problem('a yearly series needs {YYYY} or {YY}');
  if (reset === 'monthly' && !(year && has('MM')))
    return problem('a monthly series needs {YYYY} or {YY} and {MM}');
  return [];
}

/** Throws VALIDATION_FAILED on `/pattern` when the settings are not a valid series. */
export function assertValidSeries(settings: SeriesSettings): void {
  const [first, ...rest] = patternProblems(settings);
  if (first)
    throw new AppError('VALIDATION_FAILED', {
      detail: `${first.field} ${first.message}`,
      errors: [first, ...rest],
    });
}

/** The counter a number of `issueDate` is drawn from: '' (never), '2026' (yearly) or '2026-06' (monthly). */
export function seriesPeriod(reset: ResetPeriod, issueDate: IsoDate): string {
  if (reset === 'yearly') return issueDate.slice(0, 4);
  if (reset === 'monthly') return issueDate.slice(0, 7);
  return '';
}

/**
 * The settings of a series stored before settings existed: its counter row's prefix (`INV-{YYYY}-`) is
 * the pattern without its sequence (six digits), restarting yearly when it shows the year.
 */
export function legacySeries(prefix: string): SeriesSettings {
  const pattern = /\{SEQ:\d+\}/.test(prefix) ? prefix : `${prefix}{SEQ:6}`;
  const reset: ResetPeriod = prefix.includes('{YYYY}') || prefix.includes('{YY}') ? 'yearly' : 'never';
  return { pattern, reset };
}

/** The series in force: the organization's settings, else its legacy counter's, else the default. */
export function resolveSeries(
  type: DocumentType,
  settings: SeriesSettings | null,
  legacyPrefix: string | null,
): SeriesSettings {
  if (settings) return settings;
  if (legacyPrefix !== null) return legacySeries(legacyPrefix);
  return DEFAULT_SERIES[type];
}

/**
 * A stand-in at least as long as any number the pattern gives (sequences up to 18 digits), for checks
 * that must run before the number is drawn (the size of the issued event).
 */
export function numberPlaceholder(pattern: string): string {
  return 'X'.repeat(pattern.length + 18);
}

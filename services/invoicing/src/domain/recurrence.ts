/**
 * Recurrence rules of recurring invoices, pure: the date of the n-th occurrence (computed from the
 * start, never from the previous occurrence, so a month-end anchor does not drift: 31 Jan → 28 Feb →
 * 31 Mar), the end conditions, the period an occurrence bills, and the schedule's lifecycle.
 */
import { AppError, type IsoDate, type RecurrenceFrequency, type RecurringStatus } from '@invoice/contracts';
import { addDays } from './due-date.ts';

/** A schedule as the domain sees it. */
export interface Recurrence {
  frequency: RecurrenceFrequency;
  interval: number;
  /** Months only: the anchor day (default: the start date's day). */
  dayOfMonth?: number | null | undefined;
  startDate: IsoDate;
  endAfterCount?: number | null | undefined;
  endDate?: IsoDate | null | undefined;
}

function parts(date: IsoDate): { year: number; month: number; day: number } {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The date in month `monthIndex` (months since year 0, zero-based) on `day`, or its last day. */
function clampedDate(monthIndex: number, day: number): IsoDate {
  const year = Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  const d = Math.min(day, daysInMonth(year, month));
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The date of occurrence `index` (0 for the first), ignoring the end conditions. */
export function occurrenceDate(rule: Recurrence, index: number): IsoDate {
  if (rule.frequency === 'day') return addDays(rule.startDate, index * rule.interval);
  if (rule.frequency === 'week') return addDays(rule.startDate, index * rule.interval * 7);
  const start = parts(rule.startDate);
  const anchor = rule.dayOfMonth ?? start.day;
  let first = start.year * 12 + (start.month - 1);
  // The start month's anchor day may lie before the start date: the first occurrence is a month on.
  if (clampedDate(first, anchor) < rule.startDate) first += 1;
  return clampedDate(first + index * rule.interval, anchor);
}

/** The date of occurrence `index`, or null when the schedule ends before it. */
export function occurrenceWithin(rule: Recurrence, index: number): IsoDate | null {
  if (rule.endAfterCount != null && index >= rule.endAfterCount) return null;
  const date = occurrenceDate(rule, index);
  if (rule.endDate != null && date > rule.endDate) return null;
  return date;
}

/** The index of the first occurrence on or after `date` (occurrences are increasing). */
export function firstIndexOnOrAfter(rule: Recurrence, date: IsoDate): number {
  const days = Math.floor((Date.parse(date) - Date.parse(rule.startDate)) / 86_400_000);
  if (days <= 0) return 0;
  if (rule.frequency !== 'month') {
    return Math.ceil(days / (rule.interval * (rule.frequency === 'week' ? 7 : 1)));
  }
  // Occurrence k is at most 31 + 31·k·interval days after the start: an estimate that is never past
  // the answer, then a few steps forward.
  let index = Math.max(0, Math.floor((days - 31) / (31 * rule.interval)) - 1);
  while (occurrenceDate(rule, index) < date) index += 1;
  return index;
}

/** The period occurrence `index` bills: from its date to the day before the next occurrence. */
export function periodOf(rule: Recurrence, index: number): { start: IsoDate; end: IsoDate } {
  return { start: occurrenceDate(rule, index), end: addDays(occurrenceDate(rule, index + 1), -1) };
}

/** Checks a schedule a client sent (field pointers under `/schedule`). */
export function assertValidRecurrence(rule: Recurrence): void {
  if (rule.dayOfMonth != null && rule.frequency !== 'month') {
    throw AppError.field('VALIDATION_FAILED', '/schedule/dayOfMonth', 'applies to monthly schedules only');
  }
  if (rule.endDate != null && rule.endDate < rule.startDate) {
    throw AppError.field('VALIDATION_FAILED', '/schedule/endDate', 'is before the start date');
  }
  if (occurrenceWithin(rule, 0) === null) {
    throw AppError.field('VALIDATION_FAILED', '/schedule/endDate', 'leaves no occurrence');
  }
}

/** A locale Intl knows, else undefined. */
export function supportedLocale(locale: string | null | undefined): string | undefined {
  if (!locale) return undefined;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale])[0];
  } catch {
    return undefined;
  }
}

/**
 * The locale of an organization in a country: the country's likely language (CLDR likely subtags,
 * through Intl.Locale#maximize: DE → de-DE, FR → fr-FR, US → en-US); `en` without a country.
 */
export function localeOfCountry(country: string | null | undefined): string {
  if (!country) return 'en';
  try {
    const likely = new Intl.Locale(`und-${country.toUpperCase()}`).maximize();
    return supportedLocale(`${likely.language}-${country.toUpperCase()}`) ?? 'en';
  } catch {
    return 'en';
  }
}

/**
 * Renders `{period_start}`, `{period_end}` (dates) and `{month}` (the period's month and year) in
 * `locale`, e.g. de-DE: "Wartung Januar 2026 (01.01.2026 – 31.01.2026)".
 */
export function renderPlaceholders(
  text: string,
  period: { start: IsoDate; end: IsoDate },
  locale: string,
): string {
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const month = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const at = (iso: IsoDate) => new Date(`${iso}T00:00:00Z`);
  const values: Record<string, string> = {
    period_start: date.format(at(period.start)),
    period_end: date.format(at(period.end)),
    month: month.format(at(period.start)),
  };
  return text.replace(/\{(period_start|period_end|month)\}/g, (_, name: string) => values[name] ?? '');
}

/** Pausing: only an active schedule (RECURRING_NOT_ACTIVE, or RECURRING_COMPLETED at its end). */
export function pause(status: RecurringStatus): RecurringStatus {
  if (status === 'completed') throw new AppError('RECURRING_COMPLETED');
  if (status !== 'active')
    throw new AppError('RECURRING_NOT_ACTIVE', { detail: `The recurring invoice is ${status}` });
  return 'paused';
}

/** Resuming: only a paused schedule (RECURRING_NOT_PAUSED, or RECURRING_COMPLETED at its end). */
export function resume(status: RecurringStatus): RecurringStatus {
  if (status === 'completed') throw new AppError('RECURRING_COMPLETED');
  if (status !== 'paused')
    throw new AppError('RECURRING_NOT_PAUSED', { detail: `The recurring invoice is ${status}` });
  return 'active';
}

/** Editing: anything but a completed schedule. */
export function assertEditableSchedule(status: RecurringStatus): void {
  if (status === 'completed') throw new AppError('RECURRING_COMPLETED');
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AppError } from '@invoice/contracts';
import {
  assertValidRecurrence,
  firstIndexOnOrAfter,
  localeOfCountry,
  occurrenceDate,
  occurrenceWithin,
  pause,
  periodOf,
  renderPlaceholders,
  resume,
  type Recurrence,
} from '../../../src/domain/recurrence.ts';

const monthly = (overrides: Partial<Recurrence> = {}): Recurrence => ({
  frequency: 'month',
  interval: 1,
  startDate: '2026-01-31',
  ...overrides,
});

const dates = (rule: Recurrence, count: number) =>
  Array.from({ length: count }, (_, i) => occurrenceDate(rule, i));

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as AppError).code;
  }
  return undefined;
};

describe('recurrence dates', () => {
  it('anchors a monthly schedule from 31 January on the last day of shorter months, without drifting', () => {
    assert.deepEqual(dates(monthly(), 6), [
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
      '2026-06-30',
    ]);
  });

  it('gives 29 February in a leap year', () => {
    assert.equal(occurrenceDate(monthly({ startDate: '2028-01-31' }), 1), '2028-02-29');
  });

  it('starts a day-of-month schedule in the next month when the day has passed in the start month', () => {
    assert.deepEqual(dates(monthly({ startDate: '2026-01-20', dayOfMonth: 15 }), 2), [
      '2026-02-15',
      '2026-03-15',
    ]);
    assert.deepEqual(dates(monthly({ startDate: '2026-01-10', dayOfMonth: 15 }), 2), [
      '2026-01-15',
      '2026-02-15',
    ]);
  });

  it('steps every N months, weeks and days', () => {
    assert.deepEqual(dates(monthly({ interval: 3, startDate: '2026-11-30' }), 3), [
      '2026-11-30',
      '2027-02-28',
      '2027-05-30',
    ]);
    assert.deepEqual(dates({ frequency: 'week', interval: 2, startDate: '2026-12-28' }, 3), [
      '2026-12-28',
      '2027-01-11',
      '2027-01-25',
    ]);
    assert.deepEqual(dates({ frequency: 'day', interval: 10, startDate: '2026-02-25' }, 2), [
      '2026-02-25',
      '2026-03-07',
    ]);
  });

  it('ends after N occurrences or after the end date', () => {
    const rule = monthly({ endAfterCount: 3 });
    assert.equal(occurrenceWithin(rule, 2), '2026-03-31');
    assert.equal(occurrenceWithin(rule, 3), null);
    const until = monthly({ endDate: '2026-04-29' });
    assert.equal(occurrenceWithin(until, 2), '2026-03-31');
    assert.equal(occurrenceWithin(until, 3), null);
  });

  it('bills the period up to the day before the next occurrence', () => {
    assert.deepEqual(periodOf(monthly(), 1), { start: '2026-02-28', end: '2026-03-30' });
    assert.deepEqual(periodOf(monthly({ startDate: '2026-01-01' }), 0), {
      start: '2026-01-01',
      end: '2026-01-31',
    });
  });

  it('finds the first occurrence on or after a date', () => {
    const rule = monthly();
    for (const [date, index] of [
      ['2026-01-01', 0],
      ['2026-01-31', 0],
      ['2026-02-01', 1],
      ['2027-03-01', 14],
    ] as const) {
      assert.equal(firstIndexOnOrAfter(rule, date), index, date);
    }
    assert.equal(
      firstIndexOnOrAfter({ frequency: 'week', interval: 1, startDate: '2026-01-01' }, '2026-01-09'),
      2,
    );
  });

  it('refuses a day of month on a weekly schedule and an end before the start', () => {
    assert.equal(
      codeOf(() =>
        assertValidRecurrence({ frequency: 'week', interval: 1, dayOfMonth: 3, startDate: '2026-01-01' }),
      ),
      'VALIDATION_FAILED',
    );
    assert.equal(
      codeOf(() => assertValidRecurrence(monthly({ endDate: '2026-01-01' }))),
      'VALIDATION_FAILED',
    );
  });
});

describe('placeholders', () => {
  const period = { start: '2026-01-01', end: '2026-01-31' };

  it('renders the period and month in the locale', () => {
    assert.equal(
      renderPlaceholders('Wartung {month} ({period_start} – {period_end})', period, 'de-DE'),
      'Wartung Januar 2026 (01.01.2026 – 31.01.2026)',
    );
    assert.equal(renderPlaceholders('Hosting {month}', period, 'en-US'), 'Hosting January 2026');
    assert.equal(renderPlaceholders('Hébergement {month}', period, 'fr-FR'), 'Hébergement janvier 2026');
  });

  it('leaves other braces alone', () => {
    assert.equal(renderPlaceholders('{unknown} {month}', period, 'en-US'), '{unknown} January 2026');
  });

  it('takes an organization’s locale from its country', () => {
    assert.equal(localeOfCountry('DE'), 'de-DE');
    assert.equal(localeOfCountry('fr'), 'fr-FR');
    assert.equal(localeOfCountry(undefined), 'en');
  });
});

describe('recurring lifecycle', () => {
  it('pauses only active schedules and resumes only paused ones', () => {
    assert.equal(pause('active'), 'paused');
    assert.equal(resume('paused'), 'active');
    assert.equal(
      codeOf(() => pause('paused')),
      'RECURRING_NOT_ACTIVE',
    );
    assert.equal(
      codeOf(() => resume('active')),
      'RECURRING_NOT_PAUSED',
    );
    assert.equal(
      codeOf(() => pause('completed')),
      'RECURRING_COMPLETED',
    );
  });
});

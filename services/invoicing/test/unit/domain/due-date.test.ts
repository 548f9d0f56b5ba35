import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AppError } from '@invoice/contracts';
import { addDays, scheduleDates, todayUtc } from '../../../src/domain/due-date.ts';

const fieldOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as AppError).errors[0]?.field;
  }
  return undefined;
};

describe('due dates', () => {
  it('adds days across month, year and leap-day boundaries', () => {
    assert.equal(addDays('2026-01-31', 30), '2026-03-02');
    assert.equal(addDays('2026-12-20', 14), '2027-01-03');
    assert.equal(addDays('2028-02-28', 1), '2028-02-29');
  });

  it('is the issue date plus the default terms when nothing is given', () => {
    assert.deepEqual(scheduleDates({}, { issueDate: '2026-05-01', paymentTermsDays: 14 }), {
      issueDate: '2026-05-01',
      dueDate: '2026-05-15',
      paymentTermsDays: 14,
    });
  });

  it('prefers terms from the request, and forgets terms when a due date is given', () => {
    assert.equal(
      scheduleDates({ paymentTermsDays: 0 }, { issueDate: '2026-05-01', paymentTermsDays: 14 }).dueDate,
      '2026-05-01',
    );
    assert.deepEqual(
      scheduleDates({ dueDate: '2026-06-30' }, { issueDate: '2026-05-01', paymentTermsDays: 14 }),
      {
        issueDate: '2026-05-01',
        dueDate: '2026-06-30',
        paymentTermsDays: null,
      },
    );
  });

  it('keeps a fixed due date when only the issue date moves', () => {
    const base = { issueDate: '2026-05-01', dueDate: '2026-06-30', paymentTermsDays: null };
    assert.equal(scheduleDates({ issueDate: '2026-05-10' }, base).dueDate, '2026-06-30');
  });

  it('rejects a due date before the issue date, naming the field that moved', () => {
    assert.equal(
      fieldOf(() =>
        scheduleDates({ dueDate: '2026-04-30' }, { issueDate: '2026-05-01', paymentTermsDays: 14 }),
      ),
      '/dueDate',
    );
    const fixed = { issueDate: '2026-05-01', dueDate: '2026-05-05', paymentTermsDays: null };
    assert.equal(
      fieldOf(() => scheduleDates({ issueDate: '2026-05-06' }, fixed)),
      '/issueDate',
    );
  });

  it('refuses both a due date and payment terms', () => {
    const base = { issueDate: '2026-05-01', paymentTermsDays: 14 };
    assert.equal(
      fieldOf(() => scheduleDates({ dueDate: '2026-06-01', paymentTermsDays: 30 }, base)),
      '/paymentTermsDays',
    );
  });

  it('gives today in UTC', () => {
    assert.equal(todayUtc(new Date('2026-12-31T23:30:00-05:00')), '2027-01-01');
  });
});

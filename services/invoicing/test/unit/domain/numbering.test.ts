import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_SERIES,
  legacySeries,
  numberPlaceholder,
  patternProblems,
  resolveSeries,
  seriesPeriod,
  type SeriesSettings,
} from '../../../src/domain/numbering.ts';

const problemOf = (settings: SeriesSettings) => patternProblems(settings)[0]?.message;

describe('number series settings', () => {
  it('accepts patterns of literals and {YYYY} {YY} {MM} {SEQ:n} tokens', () => {
    for (const settings of [
      DEFAULT_SERIES.invoice,
      DEFAULT_SERIES.credit_note,
      { pattern: 'R{YY}{MM}-{SEQ:4}', reset: 'monthly' },
      { pattern: '{SEQ:1}', reset: 'never' },
      { pattern: 'A/B_C.D#{YYYY}{SEQ:12}', reset: 'yearly' },
    ] as SeriesSettings[]) {
      assert.deepEqual(patternProblems(settings), [], settings.pattern);
    }
  });

  it('refuses patterns without exactly one {SEQ:n}, with unknown tokens, spaces or bad padding', () => {
    assert.match(problemOf({ pattern: 'INV-{YYYY}', reset: 'yearly' }) ?? '', /exactly one \{SEQ:n\}/);
    assert.match(problemOf({ pattern: '{SEQ:3}{SEQ:3}', reset: 'never' }) ?? '', /exactly one/);
    assert.match(problemOf({ pattern: 'INV-{DD}-{SEQ:3}', reset: 'never' }) ?? '', /literal text/);
    assert.match(problemOf({ pattern: 'INV {SEQ:3}', reset: 'never' }) ?? '', /literal text/);
    assert.match(problemOf({ pattern: 'INV-{SEQ:0}', reset: 'never' }) ?? '', /1 to 12 digits/);
    assert.match(problemOf({ pattern: 'INV-{SEQ:13}', reset: 'never' }) ?? '', /1 to 12 digits/);
    assert.match(problemOf({ pattern: `${'X'.repeat(60)}{SEQ:1}`, reset: 'never' }) ?? '', /1 to 60/);
  });

  it('wants the period a series restarts in to show in its numbers, so no number comes back', () => {
    assert.match(problemOf({ pattern: 'INV-{SEQ:6}', reset: 'yearly' }) ?? '', /yearly series needs/);
    assert.match(
      problemOf({ pattern: 'INV-{YYYY}-{SEQ:6}', reset: 'monthly' }) ?? '',
      /monthly series needs/,
    );
    assert.equal(problemOf({ pattern: 'INV-{YY}{MM}-{SEQ:6}', reset: 'monthly' }), undefined);
  });

  it('draws from one counter forever, per year or per month', () => {
    assert.equal(seriesPeriod('never', '2027-03-04'), '');
    assert.equal(seriesPeriod('yearly', '2027-03-04'), '2027');
    assert.equal(seriesPeriod('monthly', '2027-03-04'), '2027-03');
  });

  it('reads series stored before settings existed as their prefix plus six digits', () => {
    assert.deepEqual(legacySeries('INV-{YYYY}-'), { pattern: 'INV-{YYYY}-{SEQ:6}', reset: 'yearly' });
    assert.deepEqual(legacySeries('R-'), { pattern: 'R-{SEQ:6}', reset: 'never' });
    assert.deepEqual(resolveSeries('invoice', null, null), DEFAULT_SERIES.invoice);
    assert.deepEqual(resolveSeries('credit_note', null, 'CN-'), { pattern: 'CN-{SEQ:6}', reset: 'never' });
    const own = { pattern: 'X{SEQ:2}', reset: 'never' } as const;
    assert.deepEqual(resolveSeries('invoice', own, 'R-'), own);
  });

  it('stands in for a number with a placeholder at least as long as any number of the pattern', () => {
    assert.ok(numberPlaceholder('INV-{YYYY}-{SEQ:6}').length >= 'INV-2026-'.length + 18);
  });
});

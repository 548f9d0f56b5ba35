import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_INVOICE_PREFIX,
  expandPrefix,
  formatDocumentNumber,
  seriesPeriod,
} from '../../../src/domain/numbering.ts';

describe('document numbers', () => {
  it('formats the first invoice of 2026 as INV-2026-000001', () => {
    assert.equal(
      formatDocumentNumber(expandPrefix(DEFAULT_INVOICE_PREFIX, '2026-03-04'), 1),
      'INV-2026-000001',
    );
  });

  it('keeps every digit beyond the padding', () => {
    assert.equal(formatDocumentNumber('INV-', 1234567), 'INV-1234567');
  });

  it('rejects sequences that are not positive integers', () => {
    assert.throws(() => formatDocumentNumber('INV-', 0), RangeError);
    assert.throws(() => formatDocumentNumber('INV-', 1.5), RangeError);
  });

  it('restarts the counter each year only when the prefix shows the year', () => {
    assert.equal(seriesPeriod('INV-{YYYY}-', '2027-01-01'), '2027');
    assert.equal(seriesPeriod('R', '2027-01-01'), '');
  });
});

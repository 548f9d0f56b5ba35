import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalDecimal, fixedDecimal } from '../../../src/domain/decimal-format.ts';

describe('printing numeric columns', () => {
  it('drops the padding of quantities and prices', () => {
    assert.equal(canonicalDecimal('3.000000'), '3');
    assert.equal(canonicalDecimal('2.500000'), '2.5');
    assert.equal(canonicalDecimal('-0.100000'), '-0.1');
    assert.equal(canonicalDecimal('100'), '100');
  });

  it('prints amounts with the currency’s decimals', () => {
    assert.equal(fixedDecimal('119.0000', 2), '119.00');
    assert.equal(fixedDecimal('1200.0000', 0), '1200');
    assert.equal(fixedDecimal('1.5', 3), '1.500');
  });

  it('refuses to cut a significant digit', () => {
    assert.throws(() => fixedDecimal('1.2345', 2), RangeError);
  });
});

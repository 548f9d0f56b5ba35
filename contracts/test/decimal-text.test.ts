import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalDecimal, compact, fixedDecimal } from '../src/decimal-text.ts';

describe('canonicalDecimal', () => {
  it('drops the padding Postgres adds to numeric columns', () => {
    assert.equal(canonicalDecimal('3.000000'), '3');
    assert.equal(canonicalDecimal('2.500000'), '2.5');
    assert.equal(canonicalDecimal('-0.100000'), '-0.1');
    assert.equal(canonicalDecimal('100'), '100');
    assert.equal(canonicalDecimal('9999999999999.999999'), '9999999999999.999999');
  });

  it('strips leading zeros and never writes a negative or signed zero', () => {
    assert.equal(canonicalDecimal('007.10'), '7.1');
    assert.equal(canonicalDecimal('-0.000'), '0');
    assert.equal(canonicalDecimal('+5.0'), '5');
    assert.equal(canonicalDecimal('.5'), '0.5');
  });

  it('pads to a minimum scale without cutting longer fractions', () => {
    assert.equal(canonicalDecimal('12.500000', 2), '12.50');
    assert.equal(canonicalDecimal('100', 2), '100.00');
    assert.equal(canonicalDecimal('0.125000', 2), '0.125');
    assert.equal(canonicalDecimal('-1.50', 2), '-1.50');
  });
});

describe('fixedDecimal', () => {
  it('prints amounts with exactly the currency’s decimals', () => {
    assert.equal(fixedDecimal('119.0000', 2), '119.00');
    assert.equal(fixedDecimal('1200.0000', 0), '1200');
    assert.equal(fixedDecimal('1.5', 3), '1.500');
    assert.equal(fixedDecimal('-0.0000', 2), '0.00');
  });

  it('refuses to cut a significant digit (it never rounds)', () => {
    assert.throws(() => fixedDecimal('1.2345', 2), RangeError);
    assert.throws(() => fixedDecimal('0.5', 0), RangeError);
  });
});

describe('compact', () => {
  it('drops null and undefined values and keeps every other falsy value', () => {
    assert.deepEqual(compact({ a: null, b: undefined, c: 0, d: '', e: false, f: 'x' }), {
      c: 0,
      d: '',
      e: false,
      f: 'x',
    });
    assert.ok(!('b' in compact({ b: undefined })));
  });
});

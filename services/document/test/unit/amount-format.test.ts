import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  InvalidAmountError,
  formatDecimal,
  formatMoney,
  formatQuantity,
  isZero,
  minorUnits,
} from '../../src/domain/amount-format.ts';

describe('amount formatting', () => {
  it('groups thousands and shows the currency decimals', () => {
    assert.equal(formatMoney('1190.00', 'EUR'), '1,190.00');
    assert.equal(formatMoney('1190', 'EUR'), '1,190.00');
    assert.equal(formatMoney('1234567.5', 'USD'), '1,234,567.50');
    assert.equal(formatMoney('0.00', 'EUR'), '0.00');
  });

  it('follows ISO 4217 minor units (JPY none, BHD three)', () => {
    assert.equal(minorUnits('JPY'), 0);
    assert.equal(formatMoney('150000', 'JPY'), '150,000');
    assert.equal(formatMoney('1234.5', 'BHD'), '1,234.500');
  });

  it('never rounds: extra non-zero decimals are kept, trailing zeros dropped', () => {
    assert.equal(formatMoney('12.345', 'EUR'), '12.345');
    assert.equal(formatMoney('12.340000', 'EUR'), '12.34');
    assert.equal(formatMoney('999999999999999.999999', 'EUR'), '999,999,999,999,999.999999');
  });

  it('keeps the sign of negative amounts', () => {
    assert.equal(formatMoney('-1234.5', 'EUR'), '-1,234.50');
    assert.equal(formatDecimal('-0.01', 2), '-0.01');
  });

  it('prints quantities and rates without trailing zeros', () => {
    assert.equal(formatQuantity('2.000000'), '2');
    assert.equal(formatQuantity('1.500'), '1.5');
    assert.equal(formatQuantity('19.00'), '19');
    assert.equal(formatQuantity('12500'), '12,500');
  });

  it('rejects anything that is not a plain decimal string', () => {
    for (const bad of ['abc', '1e5', '1,000.00', '', ' 1', '0x10']) {
      assert.throws(() => formatMoney(bad, 'EUR'), InvalidAmountError, bad);
    }
    assert.throws(() => formatMoney(12 as unknown as string, 'EUR'), InvalidAmountError);
  });

  it('recognises zero in any spelling', () => {
    assert.ok(isZero('0') && isZero('0.00') && isZero('-0.0'));
    assert.ok(!isZero('0.01') && !isZero('10'));
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalDecimal, formatUnitPrice, formatVatRate } from '../../src/domain/decimal-format.ts';

test('unit prices drop padding zeros but keep two decimals', () => {
  assert.equal(formatUnitPrice('12.500000'), '12.50');
  assert.equal(formatUnitPrice('100'), '100.00');
  assert.equal(formatUnitPrice('0.125000'), '0.125');
  assert.equal(formatUnitPrice('0.000001'), '0.000001');
  assert.equal(formatUnitPrice('9999999999999.999999'), '9999999999999.999999');
});

test('VAT rates drop every padding zero', () => {
  assert.equal(formatVatRate('23.000000'), '23');
  assert.equal(formatVatRate('7.500000'), '7.5');
  assert.equal(formatVatRate('0.000000'), '0');
  assert.equal(formatVatRate('100'), '100');
});

test('canonical decimals strip leading zeros and never write a negative zero', () => {
  assert.equal(canonicalDecimal('007.10'), '7.1');
  assert.equal(canonicalDecimal('-0.000'), '0');
  assert.equal(canonicalDecimal('-1.50', 2), '-1.50');
});

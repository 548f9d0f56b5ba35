import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyProductPatch, DEFAULT_UNIT_CODE, normalizeProduct } from '../../src/domain/product.rules.ts';

const base = { name: ' Mug ', unitPrice: '4.5', currency: 'EUR' };

test('normalizing applies unit C62, empty attributes, a trimmed name and canonical decimals', () => {
  assert.deepEqual(normalizeProduct({ ...base, vatRate: '23.00' }), {
    name: 'Mug',
    unitPrice: '4.50',
    currency: 'EUR',
    unitCode: DEFAULT_UNIT_CODE,
    attributes: {},
    vatRate: '23',
  });
  assert.equal(DEFAULT_UNIT_CODE, 'C62');
});

test('a patch in another notation of the same price normalizes to the same state', () => {
  const current = normalizeProduct(base);
  assert.deepEqual(applyProductPatch(current, { unitPrice: '4.500000' }), current);
});

test('a patch clears nullable fields and replaces attributes whole', () => {
  const current = normalizeProduct({ ...base, sku: 'M-1', attributes: { a: 1, b: 2 } });
  const next = applyProductPatch(current, { sku: null, attributes: { c: true } });
  assert.equal(next.sku, undefined);
  assert.deepEqual(next.attributes, { c: true });
});

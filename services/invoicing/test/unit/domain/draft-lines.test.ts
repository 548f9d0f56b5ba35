import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AppError, ProductSnapshot } from '@invoice/contracts';
import { productIdsOf, resolveLines } from '../../../src/domain/draft-lines.ts';

const product: ProductSnapshot = {
  id: '01900000-0000-7000-8000-000000000001',
  name: 'Widget',
  unitPrice: '12.50',
  currency: 'EUR',
  unitCode: 'C62',
  vatRate: '19',
  version: 1,
};
const products = new Map([[product.id, product]]);

const errorOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as AppError;
  }
  assert.fail('expected an error');
};

describe('draft lines', () => {
  it('fills description, unit, price and rate from the product', () => {
    assert.deepEqual(resolveLines([{ productId: product.id, quantity: '2' }], products, 'EUR'), [
      {
        productId: product.id,
        quantity: '2',
        description: 'Widget',
        unitCode: 'C62',
        unitPrice: '12.50',
        vatCategory: 'S',
        vatRate: '19',
      },
    ]);
  });

  it('lets the line override the product', () => {
    const [resolved] = resolveLines(
      [{ productId: product.id, quantity: '1', unitPrice: '10', description: 'Discounted widget' }],
      products,
      'EUR',
    );
    assert.equal(resolved?.unitPrice, '10');
    assert.equal(resolved?.description, 'Discounted widget');
  });

  it('does not copy the product rate onto an exempt line', () => {
    const [resolved] = resolveLines(
      [{ productId: product.id, quantity: '1', vatCategory: 'E', vatExemptionReason: 'Art. 132' }],
      products,
      'EUR',
    );
    assert.equal(resolved?.vatRate, undefined);
  });

  it('defaults the category to Z for a zero rate', () => {
    const [resolved] = resolveLines(
      [{ description: 'Book', quantity: '1', unitCode: 'C62', unitPrice: '5', vatRate: '0' }],
      products,
      'EUR',
    );
    assert.equal(resolved?.vatCategory, 'Z');
  });

  it('names missing products and currency mismatches by line', () => {
    const missing = errorOf(() =>
      resolveLines([{ productId: '01900000-0000-7000-8000-0000000000ff', quantity: '1' }], products, 'EUR'),
    );
    assert.equal(missing.code, 'PRODUCT_NOT_FOUND');
    assert.equal(missing.errors[0]?.field, '/lines/0/productId');
    const mismatch = errorOf(() => resolveLines([{ productId: product.id, quantity: '1' }], products, 'USD'));
    assert.equal(mismatch.code, 'CURRENCY_MISMATCH');
  });

  it('lists the distinct product ids', () => {
    assert.deepEqual(
      productIdsOf([{ productId: 'a', quantity: '1' }, { quantity: '1' }, { productId: 'a', quantity: '2' }]),
      ['a'],
    );
  });
});

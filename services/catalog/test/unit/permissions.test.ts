import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canManageProducts } from '../../src/domain/permissions.ts';

test('products can be managed with products_management or admin, or by the owner', () => {
  assert.equal(canManageProducts({ role: 'member', permissions: ['products_management'] }), true);
  assert.equal(canManageProducts({ role: 'member', permissions: ['admin'] }), true);
  assert.equal(canManageProducts({ role: 'owner', permissions: [] }), true);
});

test('other permissions do not allow managing products', () => {
  assert.equal(canManageProducts({ role: 'member', permissions: [] }), false);
  assert.equal(
    canManageProducts({ role: 'member', permissions: ['category_management', 'all_invoices_access'] }),
    false,
  );
});

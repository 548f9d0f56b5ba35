import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasPermission, type PermissionName } from '../src/index.ts';

const ALL: PermissionName[] = ['all_invoices_access', 'category_management', 'products_management', 'admin'];

test('owners and admins hold every permission whatever the token lists', () => {
  for (const role of ['owner', 'admin']) {
    for (const permission of ALL) assert.equal(hasPermission({ role, permissions: [] }, permission), true);
  }
});

test('a member holds exactly the listed permissions, and the admin permission implies the others', () => {
  const member = { role: 'member', permissions: ['products_management'] };
  assert.equal(hasPermission(member, 'products_management'), true);
  assert.equal(hasPermission(member, 'category_management'), false);
  assert.equal(hasPermission(member, 'all_invoices_access'), false);
  assert.equal(hasPermission(member, 'admin'), false);
  for (const permission of ALL)
    assert.equal(hasPermission({ role: 'member', permissions: ['admin'] }, permission), true);
  assert.equal(hasPermission({ role: 'member', permissions: [] }, 'products_management'), false);
});

test('an unknown role is treated as a plain member', () => {
  assert.equal(hasPermission({ role: 'guest', permissions: [] }, 'admin'), false);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyClientPatch, normalizeClient } from '../../src/domain/client.rules.ts';

test('normalizing trims the name, lower-cases emails and drops an empty contact', () => {
  assert.deepEqual(normalizeClient({ name: '  Acme  ', email: 'A@B.Example', contact: {} }), {
    name: 'Acme',
    email: 'a@b.example',
  });
  assert.deepEqual(normalizeClient({ name: 'Acme', contact: { email: 'X@Y.example' } }).contact, {
    email: 'x@y.example',
  });
});

test('a patch that only changes email case normalizes to the same state', () => {
  const current = normalizeClient({ name: 'Acme', email: 'a@b.example' });
  assert.deepEqual(applyClientPatch(current, { email: 'A@B.EXAMPLE' }), current);
});

test('a patch with null clears the field', () => {
  assert.deepEqual(applyClientPatch({ name: 'Acme', taxId: 'PL1' }, { taxId: null }), { name: 'Acme' });
});

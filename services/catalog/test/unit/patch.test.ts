import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergePatch, sameJson } from '../../src/domain/patch.ts';

interface Thing {
  name: string;
  email?: string;
  address?: { city: string; line2?: string };
}

test('a patch keeps absent fields, removes null ones and replaces the rest', () => {
  const current: Thing = { name: 'a', email: 'a@x.example', address: { city: 'Berlin', line2: 'Hof' } };
  const next = mergePatch(current, { email: null, address: { city: 'Bonn' } });
  assert.deepEqual(next, { name: 'a', address: { city: 'Bonn' } });
  assert.deepEqual(current.email, 'a@x.example', 'the input is not mutated');
});

test('an empty patch gives an equal copy', () => {
  const current: Thing = { name: 'a' };
  assert.deepEqual(mergePatch(current, {}), current);
});

test('sameJson ignores key order and undefined values but not differences', () => {
  assert.equal(sameJson({ a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1, e: undefined }), true);
  assert.equal(sameJson({ a: 1 }, { a: '1' }), false);
  assert.equal(sameJson({ a: [1, 2] }, { a: [2, 1] }), false);
  assert.equal(sameJson({ a: {} }, {}), false);
});

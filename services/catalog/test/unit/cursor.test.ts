import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeCursor, encodeCursor } from '../../src/domain/cursor.ts';

const id = '019a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a5b';

test('a cursor decodes back to the id it was made from', () => {
  assert.equal(decodeCursor(encodeCursor(id)), id);
});

test('a cursor is URL-safe and does not show the id in clear', () => {
  const cursor = encodeCursor(id);
  assert.match(cursor, /^[A-Za-z0-9_-]+$/);
  assert.equal(cursor.includes(id), false);
});

test('garbage, a bare id and a cursor around a non-uuid decode to undefined', () => {
  assert.equal(decodeCursor('garbage'), undefined);
  assert.equal(decodeCursor(id), undefined);
  assert.equal(decodeCursor(Buffer.from("id:1' or 1=1").toString('base64url')), undefined);
  assert.equal(decodeCursor(''), undefined);
});

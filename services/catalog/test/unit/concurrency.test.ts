import assert from 'node:assert/strict';
import { test } from 'node:test';
import { etagFor, ifMatchAllows } from '../../src/domain/concurrency.ts';

test('the ETag of a version is the version as a strong quoted tag', () => {
  assert.equal(etagFor(3), '"3"');
});

test('a write without If-Match (or with a blank one) is allowed', () => {
  assert.equal(ifMatchAllows(undefined, 3), true);
  assert.equal(ifMatchAllows('  ', 3), true);
});

test('If-Match allows the current tag, any tag of a list, or *', () => {
  assert.equal(ifMatchAllows('"3"', 3), true);
  assert.equal(ifMatchAllows('"1", "3"', 3), true);
  assert.equal(ifMatchAllows('*', 3), true);
});

test('If-Match refuses another version, an unquoted number and a weak tag', () => {
  assert.equal(ifMatchAllows('"2"', 3), false);
  assert.equal(ifMatchAllows('3', 3), false);
  assert.equal(ifMatchAllows('W/"3"', 3), false);
  assert.equal(ifMatchAllows('"13"', 3), false);
});

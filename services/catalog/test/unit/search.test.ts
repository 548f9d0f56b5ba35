import assert from 'node:assert/strict';
import { test } from 'node:test';
import { containsPattern, escapeLike } from '../../src/domain/search.ts';

test('LIKE wildcards and the escape character in user text are escaped', () => {
  assert.equal(escapeLike('100%_off\\'), '100\\%\\_off\\\\');
});

test('a search term becomes a contains pattern', () => {
  assert.equal(containsPattern('acme'), '%acme%');
});

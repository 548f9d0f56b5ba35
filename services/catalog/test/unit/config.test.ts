import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readConfig } from '../../src/config.ts';

test('the catalog listens on 8082 by default with the common defaults', () => {
  const config = readConfig({});
  assert.equal(config.PORT, 8082);
  assert.equal(config.ROLE, 'all');
  assert.ok(Object.isFrozen(config));
});

test('an invalid PORT or ROLE fails naming the variable', () => {
  assert.throws(() => readConfig({ PORT: 'eighty' }), /PORT/);
  assert.throws(() => readConfig({ ROLE: 'boss' }), /ROLE/);
});

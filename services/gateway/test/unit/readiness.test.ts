import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withTimeout } from '../../src/http/readiness.ts';

describe('gateway readiness checks', () => {
  it('counts a check that does not answer in time as not ready', async () => {
    const slow = withTimeout({ name: 'slow', check: () => new Promise<boolean>(() => undefined) }, 30);
    assert.equal(await slow.check(), false);
    const fast = withTimeout({ name: 'fast', check: async () => true }, 1_000);
    assert.equal(await fast.check(), true);
  });
});

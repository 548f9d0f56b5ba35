import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nakDelay } from '../src/consumer.ts';

describe('nakDelay', () => {
  it('waits one second after the first delivery and doubles per delivery', () => {
    assert.deepEqual([1, 2, 3, 4, 5].map(nakDelay), [1_000, 2_000, 4_000, 8_000, 16_000]);
  });

  it('is capped at one minute', () => {
    assert.equal(nakDelay(7), 60_000);
    assert.equal(nakDelay(50), 60_000);
    assert.equal(nakDelay(10_000), 60_000);
  });

  it('treats a missing or zero delivery count as the first delivery', () => {
    assert.equal(nakDelay(0), 1_000);
    assert.equal(nakDelay(-3), 1_000);
  });
});

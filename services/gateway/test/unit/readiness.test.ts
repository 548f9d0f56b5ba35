import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ReadinessCheck } from '@invoice/platform-http';
import { inParallel, withTimeout } from '../../src/http/readiness.ts';

/** Runs checks the way the server's `/readyz` does: one after another. */
async function runInTurn(checks: ReadinessCheck[]): Promise<Record<string, boolean>> {
  const results: Record<string, boolean> = {};
  for (const { name, check } of checks) results[name] = await Promise.resolve(check()).catch(() => false);
  return results;
}

describe('gateway readiness checks', () => {
  it('runs checks awaited one after another all at once', async () => {
    let running = 0;
    let most = 0;
    const check = (name: string, ready: boolean): ReadinessCheck => ({
      name,
      check: async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 50));
        running--;
        return ready;
      },
    });
    const checks = inParallel([check('a', true), check('b', false), check('c', true)]);
    assert.deepEqual(await runInTurn(checks), { a: true, b: false, c: true });
    assert.equal(most, 3);
  });

  it('probes afresh for each answer', async () => {
    let calls = 0;
    const checks = inParallel([{ name: 'a', check: () => ++calls > 1 }]);
    assert.deepEqual(await runInTurn(checks), { a: false });
    assert.deepEqual(await runInTurn(checks), { a: true });
    assert.equal(calls, 2);
  });

  it('counts a check that throws as not ready', async () => {
    const checks = inParallel([
      {
        name: 'a',
        check: () => {
          throw new Error('down');
        },
      },
      { name: 'b', check: async () => true },
    ]);
    assert.deepEqual(await runInTurn(checks), { a: false, b: true });
  });

  it('counts a check that does not answer in time as not ready', async () => {
    const slow = withTimeout({ name: 'slow', check: () => new Promise<boolean>(() => undefined) }, 30);
    assert.equal(await slow.check(), false);
    const fast = withTimeout({ name: 'fast', check: async () => true }, 1_000);
    assert.equal(await fast.check(), true);
  });
});

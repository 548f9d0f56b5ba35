import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '@invoice/platform-config';
import { readConfig } from '../../src/config.ts';

describe('invoicing configuration', () => {
  it('defaults to port 8083, a 2 s request timeout and 14 days of payment terms', () => {
    const config = readConfig({});
    assert.equal(config.PORT, 8083);
    assert.equal(config.RPC_TIMEOUT_MS, 2000);
    assert.equal(config.DEFAULT_PAYMENT_TERMS_DAYS, 14);
  });

  it('names an invalid variable', () => {
    assert.throws(
      () => readConfig({ DEFAULT_PAYMENT_TERMS_DAYS: '-1' }),
      (error: unknown) =>
        error instanceof ConfigError && error.problems.some((p) => p.includes('DEFAULT_PAYMENT_TERMS_DAYS')),
    );
  });
});

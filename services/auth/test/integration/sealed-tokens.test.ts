import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openToken } from '@invoice/platform-bus';
import { signUp, verificationToken } from '../support/accounts.ts';
import { startHarness, type Harness } from '../support/harness.ts';

const KEY = 'the-deployments-bus-token-key-0123456789abcdef';

describe('one-time tokens on the bus are sealed for the notification service', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness({ env: { BUS_TOKEN_KEY: KEY } });
  });
  after(async () => {
    await harness?.close();
  });

  it('the verification event carries a sealed token that other subscribers cannot use; opened, it verifies', async () => {
    const account = await signUp(harness);
    const onTheBus = await verificationToken(harness, account.created.userId);
    assert.match(onTheBus, /^sealed\.v1\./);
    const refused = await harness.app.inject({
      method: 'POST',
      url: '/v1/auth/verify-email',
      payload: { token: onTheBus },
    });
    assert.notEqual(refused.statusCode, 200, 'the sealed value is not a token');
    const verified = await harness.app.inject({
      method: 'POST',
      url: '/v1/auth/verify-email',
      payload: { token: openToken(onTheBus, KEY) },
    });
    assert.equal(verified.statusCode, 200, verified.body);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Subjects,
  type EmailVerificationRequested,
  type PasswordChanged,
  type PasswordResetRequested,
  type TokenPair,
} from '@invoice/contracts';
import { callAs, logInWith, refreshTokens, signUp, verifiedAccount } from '../support/accounts.ts';
import { startHarness, type Harness } from '../support/harness.ts';

describe('password reset, password change, resend verification, logout everywhere', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(async () => {
    await harness?.close();
  });

  const post = (url: string, payload: object) => harness.app.inject({ method: 'POST', url, payload });
  const resetToken = async (userId: string) => {
    const events = await harness.events<PasswordResetRequested>(Subjects.PasswordResetRequested);
    const event = events.filter((candidate) => candidate.data.userId === userId).at(-1);
    assert.ok(event, 'no reset email requested');
    return event.data.token;
  };

  it('answers a reset request for a known and an unknown address the same way; only the known one gets an email', async () => {
    const account = await verifiedAccount(harness);
    const before = (await harness.events(Subjects.PasswordResetRequested)).length;
    const known = await post('/v1/auth/password-reset', { email: account.created.email.toUpperCase() });
    const unknown = await post('/v1/auth/password-reset', { email: 'nobody.at.all@example.com' });
    assert.equal(known.statusCode, 202);
    assert.equal(unknown.statusCode, 202);
    assert.equal(known.body, unknown.body);
    const after = await harness.events<PasswordResetRequested>(Subjects.PasswordResetRequested);
    assert.equal(after.length, before + 1);
    assert.equal(after.at(-1)!.data.userId, account.created.userId);
  });

  it('resets the password once with the emailed token and ends every session, access tokens included', async () => {
    const account = await verifiedAccount(harness);
    const second = (await logInWith(harness, account.created.email, account.body.password)).json<TokenPair>();
    await post('/v1/auth/password-reset', { email: account.created.email });
    const token = await resetToken(account.created.userId);
    const confirm = await post('/v1/auth/password-reset/confirm', { token, password: 'brand new pass 9' });
    assert.equal(confirm.statusCode, 204, confirm.body);

    for (const tokens of [account.tokens, second]) {
      assert.equal((await callAs(harness, tokens, 'GET', '/v1/auth/me')).statusCode, 401);
      assert.equal((await refreshTokens(harness, tokens.refreshToken)).statusCode, 400);
    }
    assert.equal((await logInWith(harness, account.created.email, account.body.password)).statusCode, 401);
    assert.equal((await logInWith(harness, account.created.email, 'brand new pass 9')).statusCode, 200);
    const reused = await post('/v1/auth/password-reset/confirm', { token, password: 'another new pass 9' });
    assert.equal(reused.statusCode, 400);
    assert.equal(reused.json().code, 'TOKEN_INVALID');
    const changed = await harness.events<PasswordChanged>(Subjects.PasswordChanged);
    assert.ok(
      changed.some((event) => event.data.userId === account.created.userId && event.data.via === 'reset'),
    );
  });

  it('refuses an expired reset token, a superseded one, and a weak new password (naming /password)', async () => {
    const account = await verifiedAccount(harness);
    await post('/v1/auth/password-reset', { email: account.created.email });
    const first = await resetToken(account.created.userId);
    await post('/v1/auth/password-reset', { email: account.created.email });
    const second = await resetToken(account.created.userId);
    const superseded = await post('/v1/auth/password-reset/confirm', {
      token: first,
      password: 'brand new pass 9',
    });
    assert.equal(superseded.json().code, 'TOKEN_INVALID');
    const weak = await post('/v1/auth/password-reset/confirm', { token: second, password: 'aaaaaaaaaaaa' });
    assert.equal(weak.statusCode, 400);
    assert.equal(weak.json().errors[0].field, '/password');
    await harness.deps.orm.em
      .fork()
      .execute(
        `update "auth"."password_reset_tokens" set expires_at = now() - interval '1 second' where user_id = ?`,
        [account.created.userId],
      );
    const expired = await post('/v1/auth/password-reset/confirm', {
      token: second,
      password: 'brand new pass 9',
    });
    assert.equal(expired.json().code, 'TOKEN_INVALID');
  });

  it('changes the password only with the current one, then ends every session', async () => {
    const account = await verifiedAccount(harness);
    const wrong = await callAs(harness, account.tokens, 'POST', '/v1/auth/password', {
      currentPassword: 'not the password',
      newPassword: 'brand new pass 9',
    });
    assert.equal(wrong.statusCode, 401);
    assert.equal(wrong.json().errors[0].field, '/currentPassword');
    const changed = await callAs(harness, account.tokens, 'POST', '/v1/auth/password', {
      currentPassword: account.body.password,
      newPassword: 'brand new pass 9',
    });
    assert.equal(changed.statusCode, 204, changed.body);
    assert.equal((await callAs(harness, account.tokens, 'GET', '/v1/auth/me')).statusCode, 401);
    assert.equal((await refreshTokens(harness, account.tokens.refreshToken)).statusCode, 400);
    assert.equal((await logInWith(harness, account.created.email, 'brand new pass 9')).statusCode, 200);
    const events = await harness.events<PasswordChanged>(Subjects.PasswordChanged);
    assert.ok(
      events.some((event) => event.data.userId === account.created.userId && event.data.via === 'change'),
    );
  });

  it('resends verification only to unverified accounts, answering every address alike', async () => {
    const unverified = await signUp(harness);
    const verified = await verifiedAccount(harness);
    const count = async (userId: string) =>
      (await harness.events<EmailVerificationRequested>(Subjects.EmailVerificationRequested)).filter(
        (event) => event.data.userId === userId,
      ).length;
    const responses = await Promise.all(
      [unverified.body.email, verified.created.email, 'ghost@example.com'].map((email) =>
        post('/v1/auth/resend-verification', { email }),
      ),
    );
    assert.deepEqual(
      responses.map((response) => response.statusCode),
      [202, 202, 202],
    );
    assert.equal(await count(unverified.created.userId), 2);
    assert.equal(await count(verified.created.userId), 1);
  });

  it('logs out everywhere: every refresh token and access token of the user stops working', async () => {
    const account = await verifiedAccount(harness);
    const second = (await logInWith(harness, account.created.email, account.body.password)).json<TokenPair>();
    const response = await callAs(harness, second, 'POST', '/v1/auth/logout-all');
    assert.equal(response.statusCode, 204);
    for (const tokens of [account.tokens, second]) {
      assert.equal((await callAs(harness, tokens, 'GET', '/v1/auth/me')).statusCode, 401);
      assert.equal((await refreshTokens(harness, tokens.refreshToken)).statusCode, 400);
    }
    assert.equal((await logInWith(harness, account.created.email, account.body.password)).statusCode, 200);
  });
});

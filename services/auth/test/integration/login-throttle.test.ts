import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Subjects, type PasswordResetRequested } from '@invoice/contracts';
import { callAs, invitationToken, logInWith, verifiedAccount } from '../support/accounts.ts';
import { startHarness, type Harness } from '../support/harness.ts';

describe('per-account login limit inside auth (no gateway in front)', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness({ env: { LOGIN_MAX_FAILURES: '10', LOGIN_LOCKOUT_SECONDS: '30' } });
  });
  after(async () => {
    await harness?.close();
  });

  const unlock = (email: string) =>
    harness.deps.orm.em
      .fork()
      .execute(
        `update "auth"."login_failures" set locked_until = now() - interval '1 second' where email = ?`,
        [email],
      );

  it('locks an account after 10 failures: even the right password gets 429 with Retry-After, from any client', async () => {
    const account = await verifiedAccount(harness);
    const statuses: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      statuses.push((await logInWith(harness, account.created.email, `wrong password ${i}`)).statusCode);
    }
    assert.deepEqual(statuses.slice(0, 10), Array(10).fill(401));
    assert.deepEqual(statuses.slice(10), Array(10).fill(429));
    const right = await logInWith(harness, account.created.email.toUpperCase(), account.body.password);
    assert.equal(right.statusCode, 429);
    assert.equal(right.json().code, 'RATE_LIMITED');
    assert.ok(Number(right.headers['retry-after']) > 0);
  });

  it('backs off: each failure after the lock ends doubles the next lock', async () => {
    const account = await verifiedAccount(harness);
    for (let i = 0; i < 10; i += 1) await logInWith(harness, account.created.email, 'wrong password');
    const first = Number((await logInWith(harness, account.created.email, 'x')).headers['retry-after']);
    await unlock(account.created.email);
    await logInWith(harness, account.created.email, 'wrong again');
    const second = Number((await logInWith(harness, account.created.email, 'x')).headers['retry-after']);
    assert.ok(first <= 30, String(first));
    assert.ok(second > 30 && second <= 60, String(second));
  });

  it('limits unknown addresses the same way (the limit reveals nothing) and clears the count on success', async () => {
    const ghost = 'nobody.here@example.com';
    for (let i = 0; i < 10; i += 1) assert.equal((await logInWith(harness, ghost, 'guess')).statusCode, 401);
    assert.equal((await logInWith(harness, ghost, 'guess')).statusCode, 429);

    const account = await verifiedAccount(harness);
    for (let i = 0; i < 9; i += 1) await logInWith(harness, account.created.email, 'wrong password');
    assert.equal((await logInWith(harness, account.created.email, account.body.password)).statusCode, 200);
    for (let i = 0; i < 9; i += 1) {
      assert.equal((await logInWith(harness, account.created.email, 'wrong password')).statusCode, 401);
    }
  });

  it('counts wrong passwords given to accept an invitation or to change the password against the same lock', async () => {
    const account = await verifiedAccount(harness);
    for (let i = 0; i < 5; i += 1) {
      const response = await callAs(harness, account.tokens, 'POST', '/v1/auth/password', {
        currentPassword: `wrong ${i}`,
        newPassword: 'brand new pass 9',
      });
      assert.equal(response.statusCode, 401);
    }
    const other = await verifiedAccount(harness);
    const invited = await callAs(harness, other.tokens, 'POST', '/v1/invitations', {
      email: account.created.email,
    });
    const token = await invitationToken(harness, invited.json().id);
    for (let i = 0; i < 5; i += 1) {
      const response = await harness.app.inject({
        method: 'POST',
        url: '/v1/auth/accept-invitation',
        payload: { token, password: `wrong again ${i}` },
      });
      assert.equal(response.statusCode, 401);
    }
    const locked = await harness.app.inject({
      method: 'POST',
      url: '/v1/auth/accept-invitation',
      payload: { token, password: account.body.password },
    });
    assert.equal(locked.statusCode, 429);
    assert.ok(Number(locked.headers['retry-after']) > 0);
    assert.equal((await logInWith(harness, account.created.email, account.body.password)).statusCode, 429);
  });

  it('sends at most five reset emails per address and hour, answering every request alike', async () => {
    const account = await verifiedAccount(harness);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      const response = await harness.app.inject({
        method: 'POST',
        url: '/v1/auth/password-reset',
        payload: { email: account.created.email },
      });
      statuses.push(response.statusCode);
    }
    assert.deepEqual(statuses, Array(7).fill(202));
    const events = await harness.events<PasswordResetRequested>(Subjects.PasswordResetRequested);
    assert.equal(events.filter((event) => event.data.userId === account.created.userId).length, 5);
  });
});

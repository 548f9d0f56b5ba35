import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  Subjects,
  validateEvent,
  type EmailVerificationRequested,
  type OrganizationUpdated,
  type SignupExistingAccount,
  type SignupResponse,
  type UserRegistered,
} from '@invoice/contracts';
import { hashToken } from '../../src/crypto/opaque-token.ts';
import { signUp, verificationToken, verifiedAccount } from '../support/accounts.ts';
import { signupBody, startHarness, type Harness } from '../support/harness.ts';

describe('POST /v1/auth/signup', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(async () => {
    await harness?.close();
  });
  const countRows = async (table: string) => {
    const [row] = await harness.deps.orm.em
      .fork()
      .execute<{ n: string }[]>(`select count(*) as n from "auth"."${table}"`);
    return Number(row!.n);
  };

  it('creates an unverified owner and publishes user.registered, organization.updated v1 and email-verification.requested', async () => {
    const { body, created } = await signUp(harness, {
      email: 'Grace.Hopper@Example.COM',
      organizationName: 'Navy Labs',
    });
    assert.equal(created.email, 'grace.hopper@example.com');
    assert.equal(created.emailVerified, false);

    const events = (await harness.allEvents()).filter((event) => event.orgid === created.organizationId);
    assert.deepEqual(events.map((event) => event.type).sort(), [
      Subjects.EmailVerificationRequested,
      Subjects.OrganizationUpdated,
      Subjects.UserRegistered,
    ]);
    for (const event of events) {
      assert.deepEqual(validateEvent(event.type, event), [], event.type);
      assert.equal(event.source, 'auth');
    }
    const registered = events.find((event) => event.type === Subjects.UserRegistered)!.data as UserRegistered;
    assert.deepEqual(registered, {
      userId: created.userId,
      organizationId: created.organizationId,
      email: created.email,
      name: body.name,
    });

    const updated = events.find((event) => event.type === Subjects.OrganizationUpdated)!;
    assert.equal(updated.subject, created.organizationId);
    assert.deepEqual((updated.data as OrganizationUpdated).organization, {
      id: created.organizationId,
      name: 'Navy Labs',
      version: 1,
    });

    const verification = events.find((event) => event.type === Subjects.EmailVerificationRequested)!;
    const data = verification.data as EmailVerificationRequested;
    assert.equal(verification.subject, created.userId);
    assert.equal(data.email, created.email);
    const hoursValid = (Date.parse(data.expiresAt) - Date.parse(verification.time)) / 3_600_000;
    assert.ok(Math.abs(hoursValid - 24) < 0.01, `expires after ${hoursValid} h`);

    // Only the hash of the emailed token is stored.
    const rows = await harness.deps.orm.em
      .fork()
      .execute<{ token_hash: string }[]>(
        'select token_hash from "auth"."email_verification_tokens" where user_id = ?',
        [created.userId],
      );
    assert.deepEqual(
      rows.map((row) => row.token_hash),
      [hashToken(data.token)],
    );
  });

  it('gives the owner the owner role with every permission', async () => {
    const { created } = await signUp(harness);
    const rows = await harness.deps.orm.em
      .fork()
      .execute<{ role: string; permissions: string[]; status: string }[]>(
        'select role, permissions, status from "auth"."memberships" where user_id = ? and organization_id = ?',
        [created.userId, created.organizationId],
      );
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.role, 'owner');
    assert.equal(rows[0]!.status, 'active');
    assert.deepEqual([...rows[0]!.permissions].sort(), [
      'admin',
      'all_invoices_access',
      'category_management',
      'products_management',
    ]);
  });

  it('stores the password as an argon2id hash, never in clear', async () => {
    const { body, created } = await signUp(harness);
    const [row] = await harness.deps.orm.em
      .fork()
      .execute<{ password_hash: string }[]>('select password_hash from "auth"."users" where id = ?', [
        created.userId,
      ]);
    assert.match(row!.password_hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.ok(!row!.password_hash.includes(body.password));
  });

  it('answers a sign-up for a verified address like any other, creates nothing and emails the owner instead', async () => {
    const account = await verifiedAccount(harness);
    const usersBefore = await countRows('users');
    const response = await harness.app.inject({
      method: 'POST',
      url: '/v1/auth/signup',
      payload: signupBody({ email: account.body.email.toUpperCase() }),
    });
    assert.equal(response.statusCode, 201);
    const body = response.json<SignupResponse>();
    assert.deepEqual(Object.keys(body).sort(), ['email', 'emailVerified', 'organizationId', 'userId']);
    assert.equal(body.emailVerified, false);
    assert.notEqual(body.userId, account.created.userId);
    assert.equal(await countRows('users'), usersBefore);
    const told = await harness.events<SignupExistingAccount>(Subjects.SignupExistingAccount);
    assert.ok(told.some((event) => event.data.userId === account.created.userId));
    const verifications = await harness.events<EmailVerificationRequested>(
      Subjects.EmailVerificationRequested,
    );
    assert.equal(verifications.filter((event) => event.data.userId === account.created.userId).length, 1);
  });

  it('lets a new sign-up claim an unverified account: the old link stops working, the new one verifies it', async () => {
    const first = await signUp(harness);
    const oldToken = await verificationToken(harness, first.created.userId);
    const again = signupBody({
      email: first.body.email,
      organizationName: 'Claimed Ltd',
      password: 'another pass 77',
    });
    const response = await harness.app.inject({ method: 'POST', url: '/v1/auth/signup', payload: again });
    assert.equal(response.statusCode, 201, response.body);
    assert.equal(response.json<SignupResponse>().userId, first.created.userId);
    const verify = (token: string) =>
      harness.app.inject({ method: 'POST', url: '/v1/auth/verify-email', payload: { token } });
    assert.equal((await verify(oldToken)).statusCode, 400);
    const events = await harness.events<EmailVerificationRequested>(Subjects.EmailVerificationRequested);
    const newToken = events.filter((event) => event.data.userId === first.created.userId).at(-1)!.data.token;
    assert.notEqual(newToken, oldToken);
    assert.equal((await verify(newToken)).statusCode, 200);
    const login = await harness.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: first.body.email, password: again.password },
    });
    assert.equal(login.statusCode, 200, login.body);
    const old = await harness.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: first.body.email, password: first.body.password },
    });
    assert.equal(old.statusCode, 401);
  });

  it('answers two simultaneous sign-ups with the same email alike and creates one user', async () => {
    const body = signupBody();
    const responses = await Promise.all(
      [body, { ...body, organizationName: 'Other' }].map((payload) =>
        harness.app.inject({ method: 'POST', url: '/v1/auth/signup', payload }),
      ),
    );
    assert.deepEqual(
      responses.map((response) => response.statusCode),
      [201, 201],
    );
    const [count] = await harness.deps.orm.em
      .fork()
      .execute<{ n: string }[]>('select count(*) as n from "auth"."users" where email = ?', [body.email]);
    assert.equal(Number(count!.n), 1);
  });

  it('answers a sign-up retried with the same Idempotency-Key with the first 201 and creates one user', async () => {
    const payload = signupBody();
    const headers = { 'idempotency-key': randomUUID() };
    const first = await harness.app.inject({ method: 'POST', url: '/v1/auth/signup', headers, payload });
    const retry = await harness.app.inject({ method: 'POST', url: '/v1/auth/signup', headers, payload });
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(retry.statusCode, 201, retry.body);
    assert.equal(retry.headers['idempotent-replayed'], 'true');
    assert.deepEqual(retry.json(), first.json());
    const [count] = await harness.deps.orm.em
      .fork()
      .execute<{ n: string }[]>('select count(*) as n from "auth"."users" where email = ?', [payload.email]);
    assert.equal(Number(count!.n), 1);
  });

  it('lets a sign-up refused for a weak password be retried with a better one under the same key', async () => {
    const headers = { 'idempotency-key': randomUUID() };
    const payload = signupBody({ password: 'alllowercaseletters' });
    const weak = await harness.app.inject({ method: 'POST', url: '/v1/auth/signup', headers, payload });
    assert.equal(weak.statusCode, 400);
    const better = await harness.app.inject({
      method: 'POST',
      url: '/v1/auth/signup',
      headers,
      payload: { ...payload, password: 'correct horse 42' },
    });
    assert.equal(better.statusCode, 201, better.body);
    assert.equal(better.headers['idempotent-replayed'], undefined);
  });

  it('rejects a weak password with 400 VALIDATION_FAILED naming /password', async () => {
    for (const password of ['short1A', 'alllowercaseletters', '1234567890123']) {
      const response = await harness.app.inject({
        method: 'POST',
        url: '/v1/auth/signup',
        payload: signupBody({ password }),
      });
      assert.equal(response.statusCode, 400, password);
      const problem = response.json();
      assert.equal(problem.code, 'VALIDATION_FAILED');
      assert.ok(
        problem.errors.some((error: { field: string }) => error.field === '/password'),
        JSON.stringify(problem),
      );
    }
  });

  it('names the failing field of an invalid body and rejects unknown fields', async () => {
    const { organizationName: _omitted, ...missing } = signupBody();
    const cases: [unknown, string[]][] = [
      [signupBody({ email: 'not-an-email' }), ['/email']],
      [missing, ['/organizationName']],
      [signupBody({ organizationName: '   ' }), ['/organizationName']],
      [{ ...signupBody(), role: 'admin' }, ['/role']],
    ];
    for (const [payload, expected] of cases) {
      const response = await harness.app.inject({
        method: 'POST',
        url: '/v1/auth/signup',
        payload: payload as object,
      });
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
      assert.deepEqual(
        response.json().errors.map((error: { field: string }) => error.field),
        expected,
        JSON.stringify(payload),
      );
    }
  });
});

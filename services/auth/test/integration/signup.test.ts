import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  Subjects,
  validateEvent,
  type EmailVerificationRequested,
  type OrganizationUpdated,
  type UserRegistered,
} from '@invoice/contracts';
import { hashToken } from '../../src/crypto/opaque-token.ts';
import { signUp } from '../support/accounts.ts';
import { signupBody, startHarness, type Harness } from '../support/harness.ts';

describe('POST /v1/auth/signup', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(async () => {
    await harness?.close();
  });

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

  it('rejects an email that is already registered, whatever its case, with 409 EMAIL_TAKEN and writes nothing', async () => {
    const { body } = await signUp(harness);
    const before = (await harness.allEvents()).length;
    const response = await harness.app.inject({
      method: 'POST',
      url: '/v1/auth/signup',
      payload: signupBody({ email: body.email.toUpperCase() }),
    });
    assert.equal(response.statusCode, 409);
    assert.equal(response.json().code, 'EMAIL_TAKEN');
    assert.equal((await harness.allEvents()).length, before);
    const [count] = await harness.deps.orm.em
      .fork()
      .execute<{ n: string }[]>('select count(*) as n from "auth"."organizations"');
    assert.equal(Number(count!.n), (await harness.events(Subjects.UserRegistered)).length);
  });

  it('lets only one of two simultaneous sign-ups with the same email succeed', async () => {
    const body = signupBody();
    const responses = await Promise.all(
      [body, { ...body, organizationName: 'Other' }].map((payload) =>
        harness.app.inject({ method: 'POST', url: '/v1/auth/signup', payload }),
      ),
    );
    assert.deepEqual(responses.map((response) => response.statusCode).sort(), [201, 409]);
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

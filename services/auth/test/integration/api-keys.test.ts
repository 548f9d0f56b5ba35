import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { Subjects, type AppError, type MembershipChanged } from '@invoice/contracts';
import { createJwtVerifier } from '@invoice/platform-http';
import { createVerificationKeys } from '../../src/crypto/verification-keys.ts';
import { addMember, callAs, logInWith, verifiedAccount } from '../support/accounts.ts';
import { startHarness, type Harness } from '../support/harness.ts';

describe('API keys', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(async () => {
    await harness?.close();
  });

  const exchange = (apiKey: string) =>
    harness.app.inject({ method: 'POST', url: '/v1/auth/api-key-token', payload: { apiKey } });
  const bearer = (accessToken: string) => ({
    accessToken,
    refreshToken: '',
    expiresIn: 0,
    tokenType: 'Bearer' as const,
  });

  it('shows the key once, stores only its hash, lists it without the secret', async () => {
    const owner = await verifiedAccount(harness);
    const created = await callAs(harness, owner.tokens, 'POST', '/v1/api-keys', {
      name: 'ERP export',
      readOnly: true,
      permissions: ['all_invoices_access'],
    });
    assert.equal(created.statusCode, 201, created.body);
    const body = created.json<{ id: string; key: string; prefix: string; readOnly: boolean }>();
    assert.match(body.key, /^ik_[A-Za-z0-9_-]{43}$/);
    assert.ok(body.key.startsWith(body.prefix));
    assert.equal(created.headers['cache-control'], 'no-store');
    const list = await callAs(harness, owner.tokens, 'GET', '/v1/api-keys');
    assert.equal(list.statusCode, 200);
    assert.ok(!list.body.includes(body.key));
    assert.equal(list.json().items[0].lastUsedAt, null);
    const [row] = await harness.deps.orm.em
      .fork()
      .execute<{ secret_hash: string }[]>('select secret_hash from "auth"."api_keys" where id = ?', [
        body.id,
      ]);
    assert.notEqual(row!.secret_hash, body.key);
    assert.ok(!row!.secret_hash.includes(body.key.slice(3)));
  });

  it('exchanges a key for a scoped, read-only access token that services verify, and records the last use', async () => {
    const owner = await verifiedAccount(harness);
    const { key, id } = (
      await callAs(harness, owner.tokens, 'POST', '/v1/api-keys', {
        name: 'Reader',
        readOnly: true,
        permissions: ['products_management'],
      })
    ).json<{ key: string; id: string }>();
    const response = await exchange(key);
    assert.equal(response.statusCode, 200, response.body);
    const { accessToken, expiresIn } = response.json<{ accessToken: string; expiresIn: number }>();
    assert.ok(expiresIn <= 300);
    const claims = decodeJwt(accessToken);
    assert.equal(claims.sub, id);
    assert.equal(claims.akid, id);
    assert.equal(claims.org, owner.created.organizationId);
    assert.equal(claims.role, 'member');
    assert.deepEqual(claims.perms, ['products_management']);
    assert.equal(claims.ro, true);
    const list = await callAs(harness, owner.tokens, 'GET', '/v1/api-keys');
    assert.notEqual(list.json().items[0].lastUsedAt, null);
    // A read-only key cannot write even on routes its permissions would allow.
    const write = await callAs(harness, bearer(accessToken), 'PATCH', '/v1/organization', { name: 'x' });
    assert.equal(write.statusCode, 403);
  });

  it('refuses an unknown key, and a revoked key at once (its tokens too, via the announced version)', async () => {
    const owner = await verifiedAccount(harness);
    assert.equal((await exchange('ik_not-a-real-key-at-all')).statusCode, 401);
    const { key, id } = (
      await callAs(harness, owner.tokens, 'POST', '/v1/api-keys', {
        name: 'Admin key',
        permissions: ['admin'],
      })
    ).json<{ key: string; id: string }>();
    const token = bearer((await exchange(key)).json<{ accessToken: string }>().accessToken);
    assert.equal((await callAs(harness, token, 'GET', '/v1/members')).statusCode, 200);

    const revoked = await callAs(harness, owner.tokens, 'DELETE', `/v1/api-keys/${id}`);
    assert.equal(revoked.statusCode, 204);
    assert.equal((await exchange(key)).statusCode, 401);
    assert.equal((await callAs(harness, token, 'GET', '/v1/members')).statusCode, 401);
    const changes = await harness.events<MembershipChanged>(Subjects.MembershipChanged);
    const change = changes.find((event) => event.data.userId === id);
    assert.equal(change?.data.version, 2);
    // Every other service refuses the token once it has read the announcement (and only because of it).
    const versions = new Map<string, number>();
    const verify = createJwtVerifier({
      keys: createVerificationKeys(() => harness.deps.keys.publicKeys()),
      issuer: harness.config.JWT_ISSUER,
      audience: harness.config.JWT_AUDIENCE,
      cacheSize: 0,
      memberships: { minimumVersion: (org, user) => versions.get(`${org}:${user}`) ?? 0 },
    });
    assert.equal((await verify(token.accessToken)).apiKeyId, id);
    versions.set(`${owner.created.organizationId}:${id}`, change!.data.version);
    await assert.rejects(verify(token.accessToken), (error: AppError) => error.code === 'UNAUTHENTICATED');
  });

  it('lets only admins manage keys, and answers another organization’s key id with 404', async () => {
    const owner = await verifiedAccount(harness);
    const member = await addMember(harness, owner, { permissions: ['products_management'] });
    const memberTokens = (await logInWith(harness, member.email, member.password)).json();
    assert.equal(
      (await callAs(harness, memberTokens, 'POST', '/v1/api-keys', { name: 'x' })).statusCode,
      403,
    );
    assert.equal((await callAs(harness, memberTokens, 'GET', '/v1/api-keys')).statusCode, 403);
    const other = await verifiedAccount(harness);
    const { id } = (await callAs(harness, other.tokens, 'POST', '/v1/api-keys', { name: 'theirs' })).json();
    assert.equal((await callAs(harness, owner.tokens, 'DELETE', `/v1/api-keys/${id}`)).statusCode, 404);
    assert.equal(
      (await callAs(harness, other.tokens, 'GET', '/v1/api-keys')).json().items[0].revokedAt,
      null,
    );
  });
});

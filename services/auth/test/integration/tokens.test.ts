import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { createJwtVerifier } from '@invoice/platform-http';
import { startTestIssuer } from '@invoice/platform-testing';
import type { TokenPair } from '@invoice/contracts';
import { bearer, demoteToMember, logIn, refreshTokens, verifiedAccount } from '../support/accounts.ts';
import { startHarness, type Harness } from '../support/harness.ts';

describe('access tokens, refresh and logout', () => {
  let harness: Harness;
  let jwksUrl: string;
  before(async () => {
    harness = await startHarness();
    // Served on a real port so the shared verifier fetches the JWKS over HTTP like other services.
    await harness.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = harness.app.server.address() as AddressInfo;
    jwksUrl = `http://127.0.0.1:${port}/.well-known/jwks.json`;
  });
  after(async () => {
    await harness?.close();
  });

  const refresh = (refreshToken: string) => refreshTokens(harness, refreshToken);
  const logout = (refreshToken: string) =>
    harness.app.inject({ method: 'POST', url: '/v1/auth/logout', payload: { refreshToken } });

  it('issues an access token that createJwtVerifier accepts through the JWKS', async () => {
    const account = await verifiedAccount(harness);
    const verify = createJwtVerifier({ jwksUrl, issuer: 'invoice-platform', audience: 'invoice-api' });
    const caller = await verify(account.tokens.accessToken);
    assert.deepEqual(caller, {
      userId: account.created.userId,
      orgId: account.created.organizationId,
      role: 'owner',
      permissions: ['all_invoices_access', 'category_management', 'products_management', 'admin'],
      membershipVersion: 1,
    });

    const header = decodeProtectedHeader(account.tokens.accessToken);
    assert.equal(header.alg, 'EdDSA');
    assert.equal(header.typ, 'at+jwt');
    const jwks = (await (await fetch(jwksUrl)).json()) as { keys: { kid: string }[] };
    assert.ok(jwks.keys.some((key) => key.kid === header.kid));
    const claims = decodeJwt(account.tokens.accessToken);
    assert.equal(claims.exp! - claims.iat!, 900);
    assert.match(String(claims.jti), /^[0-9a-f-]{36}$/);
  });

  it('is rejected by a verifier expecting another audience', async () => {
    const account = await verifiedAccount(harness);
    const verify = createJwtVerifier({ jwksUrl, issuer: 'invoice-platform', audience: 'someone-else' });
    await assert.rejects(verify(account.tokens.accessToken), { code: 'UNAUTHENTICATED' });
  });

  it('publishes only public key material in the JWKS', async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
    assert.equal(response.statusCode, 200);
    const { keys } = response.json();
    assert.ok(keys.length >= 1);
    for (const key of keys) {
      assert.deepEqual(Object.keys(key).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x']);
      assert.equal(key.crv, 'Ed25519');
    }
  });

  it('describes the caller on GET /v1/auth/me', async () => {
    const account = await verifiedAccount(harness, { name: 'Katherine Johnson' });
    const response = await harness.app.inject({
      method: 'GET',
      url: '/v1/auth/me',
      headers: bearer(account.tokens),
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json(), {
      user: {
        id: account.created.userId,
        email: account.created.email,
        name: 'Katherine Johnson',
        emailVerified: true,
      },
      organization: { id: account.created.organizationId, name: account.body.organizationName },
      role: 'owner',
      permissions: ['all_invoices_access', 'category_management', 'products_management', 'admin'],
    });
  });

  it('refuses /v1/auth/me without a token, with a tampered token, and with a token from another issuer', async () => {
    const account = await verifiedAccount(harness);
    const missing = await harness.app.inject({ method: 'GET', url: '/v1/auth/me' });
    assert.equal(missing.statusCode, 401);
    assert.equal(missing.json().code, 'UNAUTHENTICATED');

    const [head, payload, signature] = account.tokens.accessToken.split('.');
    const forgedClaims = Buffer.from(
      JSON.stringify({ ...decodeJwt(account.tokens.accessToken), role: 'admin' }),
    ).toString('base64url');
    assert.notEqual(forgedClaims, payload);
    const tampered = await harness.app.inject({
      method: 'GET',
      url: '/v1/auth/me',
      headers: { authorization: `Bearer ${head}.${forgedClaims}.${signature}` },
    });
    assert.equal(tampered.statusCode, 401);

    const stranger = await startTestIssuer();
    try {
      const foreign = await stranger.sign({
        userId: account.created.userId,
        orgId: account.created.organizationId,
      });
      const response = await harness.app.inject({
        method: 'GET',
        url: '/v1/auth/me',
        headers: { authorization: `Bearer ${foreign}` },
      });
      assert.equal(response.statusCode, 401);
    } finally {
      await stranger.stop();
    }
  });

  it('rotates refresh tokens: each one works once and returns a new pair', async () => {
    const account = await verifiedAccount(harness);
    const first = await refresh(account.tokens.refreshToken);
    assert.equal(first.statusCode, 200, first.body);
    const next = first.json<TokenPair>();
    assert.notEqual(next.refreshToken, account.tokens.refreshToken);
    assert.notEqual(next.accessToken, account.tokens.accessToken);
    assert.equal(decodeJwt(next.accessToken).sub, account.created.userId);

    const second = await refresh(next.refreshToken);
    assert.equal(second.statusCode, 200);
  });

  it('revokes the whole family when a rotated refresh token is reused', async () => {
    const account = await verifiedAccount(harness);
    const otherDevice = await logIn(harness, account);
    const rotated = (await refresh(account.tokens.refreshToken)).json<TokenPair>();

    const replay = await refresh(account.tokens.refreshToken);
    assert.equal(replay.statusCode, 400);
    assert.equal(replay.json().code, 'TOKEN_INVALID');

    // The legitimate holder's newer token is dead too: the thief and the user both have to log in.
    const afterReuse = await refresh(rotated.refreshToken);
    assert.equal(afterReuse.statusCode, 400);
    assert.equal(afterReuse.json().code, 'TOKEN_INVALID');

    // Another login of the same user is a separate family and is unaffected.
    assert.equal((await refresh(otherDevice.refreshToken)).statusCode, 200);
  });

  it('lets only one of two simultaneous refreshes with the same token succeed', async () => {
    const account = await verifiedAccount(harness);
    const responses = await Promise.all([
      refresh(account.tokens.refreshToken),
      refresh(account.tokens.refreshToken),
    ]);
    assert.deepEqual(responses.map((response) => response.statusCode).sort(), [200, 400]);
  });

  it('rejects an unknown or expired refresh token', async () => {
    const unknown = await refresh('y'.repeat(43));
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.json().code, 'TOKEN_INVALID');

    const account = await verifiedAccount(harness);
    await harness.deps.orm.em.fork().execute(
      `update "auth"."refresh_tokens" t set expires_at = now() - interval '1 second'
       from "auth"."refresh_token_families" f where f.id = t.family_id and f.user_id = ?`,
      [account.created.userId],
    );
    const expired = await refresh(account.tokens.refreshToken);
    assert.equal(expired.statusCode, 400);
  });

  it('ends the session on logout (204) so its refresh tokens stop working; unknown tokens are ignored', async () => {
    const account = await verifiedAccount(harness);
    const rotated = (await refresh(account.tokens.refreshToken)).json<TokenPair>();
    const response = await logout(rotated.refreshToken);
    assert.equal(response.statusCode, 204);
    assert.equal(response.body, '');
    assert.equal((await refresh(rotated.refreshToken)).statusCode, 400);
    assert.equal((await logout('z'.repeat(43))).statusCode, 204);
  });

  it('puts changed role and permissions into the next access token on refresh', async () => {
    const account = await verifiedAccount(harness);
    await demoteToMember(harness, account);
    const next = (await refresh(account.tokens.refreshToken)).json<TokenPair>();
    const claims = decodeJwt(next.accessToken);
    assert.equal(claims.role, 'member');
    assert.deepEqual(claims.perms, ['all_invoices_access']);
  });
});

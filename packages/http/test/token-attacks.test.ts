/**
 * Forged and malformed access tokens that every service refuses (they all verify with
 * `createJwtVerifier`): each one answers 401 UNAUTHENTICATED, never a caller.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { AppError } from '@invoice/contracts';
import { createJwtVerifier, type MembershipVersions } from '../src/index.ts';

const ISSUER = 'invoice-platform';
const AUDIENCE = 'invoice-api';

const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    assert.ok(error instanceof AppError);
    return error.code;
  }
};
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('token attacks', () => {
  let privateKey: CryptoKey;
  let publicJwk: JWK;
  const versions = new Map<string, number>();
  const memberships: MembershipVersions = {
    minimumVersion: (org, user) => versions.get(`${org}:${user}`) ?? 0,
  };
  let verify: (token: string) => Promise<unknown>;

  before(async () => {
    const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    privateKey = pair.privateKey;
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'EdDSA', use: 'sig' };
    verify = createJwtVerifier({
      keys: createLocalJWKSet({ keys: [publicJwk] }),
      issuer: ISSUER,
      audience: AUDIENCE,
      memberships,
    });
  });

  const claims = { org: 'o1', role: 'owner', perms: ['admin'], mv: 1 };
  const sign = (
    options: {
      payload?: Record<string, unknown>;
      kid?: string;
      audience?: string;
      exp?: number | false;
      iat?: boolean;
      sub?: string | false;
    } = {},
  ) => {
    let jwt = new SignJWT(options.payload ?? claims)
      .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: options.kid ?? 'k1' })
      .setIssuer(ISSUER)
      .setAudience(options.audience ?? AUDIENCE);
    if (options.sub !== false) jwt = jwt.setSubject(options.sub ?? 'u1');
    if (options.iat !== false) jwt = jwt.setIssuedAt();
    if (options.exp !== false) jwt = jwt.setExpirationTime(options.exp ?? '15m');
    return jwt.sign(privateKey);
  };

  it('accepts the well-formed token the attacks start from', async () => {
    assert.equal(await codeOf(verify(await sign())), 'OK');
  });

  it('refuses alg none', async () => {
    const now = Math.floor(Date.now() / 1000);
    const payload = { ...claims, sub: 'u1', iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 600 };
    const token = `${b64({ alg: 'none', typ: 'at+jwt', kid: 'k1' })}.${b64(payload)}.`;
    assert.equal(await codeOf(verify(token)), 'UNAUTHENTICATED');
  });

  it('refuses a tampered payload', async () => {
    const [head, , signature] = (await sign({ payload: { ...claims, role: 'member', perms: [] } })).split(
      '.',
    );
    const forged = b64({
      ...claims,
      sub: 'u1',
      iss: ISSUER,
      aud: AUDIENCE,
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + 600,
    });
    assert.equal(await codeOf(verify(`${head}.${forged}.${signature}`)), 'UNAUTHENTICATED');
  });

  it('refuses an expired token and tokens without exp, iat, sub or org', async () => {
    const cases = [
      await sign({ exp: Math.floor(Date.now() / 1000) - 60 }),
      await sign({ exp: false }),
      await sign({ iat: false }),
      await sign({ sub: false }),
      await sign({ payload: { role: 'owner', perms: ['admin'], mv: 1 } }),
    ];
    for (const token of cases) assert.equal(await codeOf(verify(token)), 'UNAUTHENTICATED');
  });

  it('refuses a wrong audience and an unknown kid', async () => {
    assert.equal(await codeOf(verify(await sign({ audience: 'other-api' }))), 'UNAUTHENTICATED');
    assert.equal(await codeOf(verify(await sign({ kid: 'made-up' }))), 'UNAUTHENTICATED');
  });

  it('refuses an HS256 token signed with the public key as the HMAC secret', async () => {
    const now = Math.floor(Date.now() / 1000);
    const head = b64({ alg: 'HS256', typ: 'at+jwt', kid: 'k1' });
    const body = b64({ ...claims, sub: 'u1', iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 600 });
    for (const secret of [JSON.stringify(publicJwk), String(publicJwk.x)]) {
      const mac = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
      assert.equal(await codeOf(verify(`${head}.${body}.${mac}`)), 'UNAUTHENTICATED');
    }
  });

  it('refuses a token older than its member’s announced membership version, even once remembered', async () => {
    const token = await sign({ sub: 'u-demoted' });
    assert.equal(await codeOf(verify(token)), 'OK'); // now remembered by the verifier
    versions.set('o1:u-demoted', 2);
    assert.equal(await codeOf(verify(token)), 'UNAUTHENTICATED');
    const fresh = await sign({ sub: 'u-demoted', payload: { ...claims, mv: 2 } });
    assert.equal(await codeOf(verify(fresh)), 'OK');
  });
});

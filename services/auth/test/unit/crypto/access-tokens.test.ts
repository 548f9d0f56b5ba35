import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { createJwtVerifier } from '@invoice/platform-http';
import { signAccessToken } from '../../../src/crypto/access-tokens.ts';
import { createVerificationKeys } from '../../../src/crypto/verification-keys.ts';

const options = { issuer: 'invoice-platform', audience: 'invoice-api', ttlSeconds: 900 };
const caller = {
  userId: '01a2120d-be43-76ff-8ac5-4c9d939cebce',
  orgId: '01a2120d-bcce-73c8-b071-a6e3e0f93ff1',
  role: 'owner',
  permissions: ['admin'],
  membershipVersion: 1,
};

async function keyPair(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  return { kid, privateKey, publicKey };
}

/** The verifier auth uses: the shared one over a published key set. */
function verifierFor(keys: { kid: string; publicKey: CryptoKey }[]) {
  const jwks = async () =>
    Promise.all(
      keys.map(async (key) => ({ ...(await exportJWK(key.publicKey)), kid: key.kid, alg: 'EdDSA' })),
    );
  return createJwtVerifier({
    keys: createVerificationKeys(jwks),
    issuer: options.issuer,
    audience: options.audience,
  });
}

describe('access tokens', () => {
  it('carry the header and claims the shared verifier checks', async () => {
    const key = await keyPair('k1');
    const now = new Date('2026-11-25T10:00:00Z');
    const token = await signAccessToken(key, caller, options, now);
    assert.deepEqual(decodeProtectedHeader(token), { alg: 'EdDSA', typ: 'at+jwt', kid: 'k1' });
    const claims = decodeJwt(token);
    assert.equal(claims.sub, caller.userId);
    assert.equal(claims.org, caller.orgId);
    assert.equal(claims.role, 'owner');
    assert.deepEqual(claims.perms, ['admin']);
    assert.equal(claims.iss, 'invoice-platform');
    assert.equal(claims.aud, 'invoice-api');
    assert.equal(claims.iat, now.getTime() / 1000);
    assert.equal(claims.exp, now.getTime() / 1000 + 900);
    assert.equal(typeof claims.jti, 'string');
    assert.notEqual(decodeJwt(await signAccessToken(key, caller, options, now)).jti, claims.jti);
  });

  it('verify locally into the caller', async () => {
    const key = await keyPair('k1');
    const verify = verifierFor([key]);
    assert.deepEqual(await verify(await signAccessToken(key, caller, options)), caller);
  });

  it('are refused when expired, from an unknown key, for another audience, or not typed at+jwt', async () => {
    const key = await keyPair('k1');
    const stranger = await keyPair('k2');
    const verify = verifierFor([key]);
    const expired = await signAccessToken(key, caller, options, new Date(Date.now() - 3600_000));
    const unknownKey = await signAccessToken(stranger, caller, options);
    const otherAudience = await signAccessToken(key, caller, { ...options, audience: 'other' });
    const idToken = await new SignJWT({ org: caller.orgId, role: 'owner', perms: [] })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'k1', typ: 'JWT' })
      .setSubject(caller.userId)
      .setIssuer(options.issuer)
      .setAudience(options.audience)
      .setExpirationTime('5m')
      .sign(key.privateKey);
    for (const token of [expired, unknownKey, otherAudience, idToken, 'not.a.jwt']) {
      await assert.rejects(verify(token), { code: 'UNAUTHENTICATED' });
    }
  });
});

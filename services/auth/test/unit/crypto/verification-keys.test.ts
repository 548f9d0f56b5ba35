import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { errors, exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWK } from 'jose';
import { createVerificationKeys } from '../../../src/crypto/verification-keys.ts';

async function signer(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  const token = await new SignJWT({}).setProtectedHeader({ alg: 'EdDSA', kid }).sign(privateKey);
  return { jwk, token };
}

/** A key source whose published set the test changes, counting how often it is read. */
function publishing(initial: JWK[]) {
  const source = { keys: initial, loads: 0, load: async () => (source.loads++, source.keys) };
  return source;
}

describe('verification keys', () => {
  it('reads the published set once while it is fresh', async () => {
    const a = await signer('a');
    const source = publishing([a.jwk]);
    const getKey = createVerificationKeys(source.load);
    await jwtVerify(a.token, getKey);
    await jwtVerify(a.token, getKey);
    assert.equal(source.loads, 1);
  });

  it('reloads for an unknown kid only once the cooldown has passed', async () => {
    const a = await signer('a');
    const b = await signer('b');
    const source = publishing([a.jwk]);
    const getKey = createVerificationKeys(source.load, { cooldownMs: 50, maxAgeMs: 60_000 });
    await jwtVerify(a.token, getKey);
    source.keys = [a.jwk, b.jwk];
    for (let i = 0; i < 3; i++) {
      await assert.rejects(jwtVerify(b.token, getKey), errors.JWKSNoMatchingKey);
    }
    assert.equal(source.loads, 1, 'made-up kids inside the cooldown cost no query');
    await sleep(60);
    await jwtVerify(b.token, getKey);
    assert.equal(source.loads, 2);
  });

  it('replaces the set when it is stale, so a key that is no longer published stops verifying', async () => {
    const a = await signer('a');
    const b = await signer('b');
    const source = publishing([a.jwk, b.jwk]);
    const getKey = createVerificationKeys(source.load, { cooldownMs: 10, maxAgeMs: 30 });
    await jwtVerify(a.token, getKey);
    source.keys = [b.jwk];
    await jwtVerify(a.token, getKey); // still cached
    await sleep(40);
    await assert.rejects(jwtVerify(a.token, getKey), errors.JWKSNoMatchingKey);
    await jwtVerify(b.token, getKey);
  });

  it('shares one load between concurrent verifications', async () => {
    const a = await signer('a');
    const source = publishing([a.jwk]);
    const getKey = createVerificationKeys(source.load);
    await Promise.all([1, 2, 3].map(() => jwtVerify(a.token, getKey)));
    assert.equal(source.loads, 1);
  });
});

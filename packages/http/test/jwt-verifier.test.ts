import { after, afterEach, before, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK, type JWTVerifyGetKey } from 'jose';
import { AppError } from '@invoice/contracts';
import { startTestIssuer, type TestIssuer } from '@invoice/platform-testing';
import { createJwtVerifier } from '../src/index.ts';

const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    assert.ok(error instanceof AppError);
    return error.code;
  }
};

describe('access token verifier', () => {
  let issuer: TestIssuer;
  let failing: Server;
  let failingUrl: string;

  before(async () => {
    issuer = await startTestIssuer();
    failing = createServer((_request, response) => {
      response.statusCode = 500;
      response.end('down');
    });
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
    failingUrl = `http://127.0.0.1:${(failing.address() as AddressInfo).port}/.well-known/jwks.json`;
  });

  after(async () => {
    await issuer.stop();
    failing.close();
  });

  const verifierFor = (jwksUrl: string) =>
    createJwtVerifier({ jwksUrl, issuer: issuer.issuer, audience: issuer.audience });

  it('returns the caller of a valid token', async () => {
    const token = await issuer.sign({ userId: 'u1', orgId: 'o1', role: 'owner', permissions: ['admin'] });
    assert.deepEqual(await verifierFor(issuer.jwksUrl)(token), {
      userId: 'u1',
      orgId: 'o1',
      role: 'owner',
      permissions: ['admin'],
      membershipVersion: 0,
    });
  });

  it('rejects an expired token and one signed by another key with 401', async () => {
    const verify = verifierFor(issuer.jwksUrl);
    assert.equal(await codeOf(verify(await issuer.sign({ expiresIn: '-1m' }))), 'UNAUTHENTICATED');
    const stranger = await startTestIssuer();
    const foreign = await stranger.sign({});
    await stranger.stop();
    assert.equal(await codeOf(verify(foreign)), 'UNAUTHENTICATED');
    assert.equal(await codeOf(verify('not-a-token')), 'UNAUTHENTICATED');
  });

  it('answers 503, not 401, when the key service cannot be reached', async () => {
    const token = await issuer.sign({});
    assert.equal(
      await codeOf(verifierFor('http://127.0.0.1:1/.well-known/jwks.json')(token)),
      'SERVICE_UNAVAILABLE',
    );
  });

  it('answers 503 when the key service answers with an error', async () => {
    const token = await issuer.sign({});
    assert.equal(await codeOf(verifierFor(failingUrl)(token)), 'SERVICE_UNAVAILABLE');
  });
});

describe('access token verifier: verified tokens are remembered', () => {
  const issuer = 'invoice-platform';
  const audience = 'invoice-api';
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  let jwk: JWK;
  /** The published key set; tests replace it, as a key rotation or retirement does. */
  let published: JWTVerifyGetKey;
  const keys: JWTVerifyGetKey = (header, token) => published(header, token);

  before(async () => {
    const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    privateKey = pair.privateKey;
    jwk = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'EdDSA' };
  });

  afterEach(() => {
    mock.restoreAll();
    mock.timers.reset();
  });

  const sign = (expiresAt: number | string = '15m', orgId = 'o1') =>
    new SignJWT({ org: orgId, role: 'owner', perms: ['admin'] })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'key-1', typ: 'at+jwt' })
      .setSubject('u1')
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(expiresAt)
      .sign(privateKey);
  /** Counts signature checks (jose verifies with WebCrypto). */
  const countSignatureChecks = () => mock.method(crypto.subtle, 'verify');

  it('checks the signature of a token once, then answers from memory', async () => {
    published = createLocalJWKSet({ keys: [jwk] });
    const verify = createJwtVerifier({ keys, issuer, audience });
    const token = await sign();
    const checks = countSignatureChecks();
    const first = await verify(token);
    const second = await verify(token);
    assert.deepEqual(second, first);
    assert.deepEqual(first, {
      userId: 'u1',
      orgId: 'o1',
      role: 'owner',
      permissions: ['admin'],
      membershipVersion: 0,
    });
    assert.equal(checks.mock.callCount(), 1);
    second.permissions.push('changed by a caller');
    assert.deepEqual((await verify(token)).permissions, ['admin'], 'each caller gets its own copy');
  });

  it('never remembers a failure: a rejected token is checked again every time', async () => {
    published = createLocalJWKSet({ keys: [jwk] });
    const verify = createJwtVerifier({ keys, issuer, audience });
    const token = await sign();
    const forged = `${token.slice(0, token.lastIndexOf('.'))}.${'A'.repeat(86)}`;
    const checks = countSignatureChecks();
    assert.equal(await codeOf(verify(forged)), 'UNAUTHENTICATED');
    assert.equal(await codeOf(verify(forged)), 'UNAUTHENTICATED');
    assert.equal(checks.mock.callCount(), 2);
  });

  it('forgets a token when it expires', async () => {
    published = createLocalJWKSet({ keys: [jwk] });
    const verify = createJwtVerifier({ keys, issuer, audience });
    const now = Math.floor(Date.now() / 1000);
    const token = await sign(now + 60);
    mock.timers.enable({ apis: ['Date'], now: now * 1000 });
    assert.equal(await codeOf(verify(token)), 'OK');
    mock.timers.tick(59_000);
    assert.equal(await codeOf(verify(token)), 'OK');
    mock.timers.tick(1_000);
    assert.equal(await codeOf(verify(token)), 'UNAUTHENTICATED');
  });

  it('stops accepting a remembered token as soon as its key leaves the key set', async () => {
    published = createLocalJWKSet({ keys: [jwk] });
    const verify = createJwtVerifier({ keys, issuer, audience });
    const token = await sign();
    assert.equal(await codeOf(verify(token)), 'OK');
    const other = { ...(await exportJWK((await generateKeyPair('EdDSA', { crv: 'Ed25519' })).publicKey)) };
    published = createLocalJWKSet({ keys: [{ ...other, kid: 'key-2', alg: 'EdDSA' }] });
    assert.equal(await codeOf(verify(token)), 'UNAUTHENTICATED');
    published = createLocalJWKSet({ keys: [jwk] });
    assert.equal(await codeOf(verify(token)), 'OK', 'published again, it verifies again');
  });

  it('verifies a remembered token afresh when the key set was reloaded', async () => {
    published = createLocalJWKSet({ keys: [jwk] });
    const verify = createJwtVerifier({ keys, issuer, audience });
    const token = await sign();
    await verify(token);
    published = createLocalJWKSet({ keys: [{ ...jwk }] });
    const checks = countSignatureChecks();
    assert.equal(await codeOf(verify(token)), 'OK');
    assert.equal(await codeOf(verify(token)), 'OK');
    assert.equal(checks.mock.callCount(), 1);
  });

  it('remembers at most cacheSize tokens, the least recently used leaving first', async () => {
    published = createLocalJWKSet({ keys: [jwk] });
    const verify = createJwtVerifier({ keys, issuer, audience, cacheSize: 2 });
    const [a, b, c] = await Promise.all([sign('15m', 'a'), sign('15m', 'b'), sign('15m', 'c')]);
    await verify(a);
    await verify(b);
    await verify(a); // a is now the most recently used
    await verify(c); // b leaves
    const checks = countSignatureChecks();
    await verify(a);
    await verify(c);
    assert.equal(checks.mock.callCount(), 0);
    await verify(b);
    assert.equal(checks.mock.callCount(), 1);
  });

  it('remembers nothing with cacheSize 0', async () => {
    published = createLocalJWKSet({ keys: [jwk] });
    const verify = createJwtVerifier({ keys, issuer, audience, cacheSize: 0 });
    const token = await sign();
    const checks = countSignatureChecks();
    await verify(token);
    await verify(token);
    assert.equal(checks.mock.callCount(), 2);
  });
});

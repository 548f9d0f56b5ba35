import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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

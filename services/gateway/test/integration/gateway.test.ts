import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { App } from '@invoice/platform-http';
import { startTestIssuer, type TestIssuer } from '@invoice/platform-testing';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { CLOSED_PORT_URL, startUpstream, type TestUpstream } from '../support/upstreams.ts';

describe('gateway', () => {
  let gateway: TestGateway;
  let app: App;
  let issuer: TestIssuer;
  let auth: TestUpstream;
  let catalog: TestUpstream;

  before(async () => {
    auth = await startUpstream('auth');
    catalog = await startUpstream('clients');
    gateway = await startGateway({
      AUTH_URL: auth.url,
      CATALOG_URL: catalog.url,
      INVOICING_URL: CLOSED_PORT_URL,
      DOCUMENT_URL: CLOSED_PORT_URL,
      NOTIFICATION_URL: CLOSED_PORT_URL,
      AUTH_RATE_LIMIT_PER_MINUTE: '3',
    });
    ({ app, issuer } = gateway);
  });

  after(async () => {
    await gateway.close();
    await auth.stop();
    await catalog.stop();
  });

  /** A GET with a bearer token: `token`, or else a valid one of the test issuer. */
  async function signedGet(url: string, token?: string) {
    const bearer = token ?? (await issuer.sign({}));
    return app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${bearer}` } });
  }

  it('rejects a protected path without a token before it reaches the service', async () => {
    const before = catalog.seen.length;
    const response = await app.inject({ method: 'GET', url: '/v1/clients' });
    assert.equal(response.statusCode, 401);
    assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(response.json().code, 'UNAUTHENTICATED');
    assert.equal(catalog.seen.length, before);
  });

  it('rejects a token signed by another key', async () => {
    const stranger = await startTestIssuer();
    const token = await stranger.sign({});
    await stranger.stop();
    const response = await signedGet('/v1/clients', token);
    assert.equal(response.statusCode, 401);
  });

  it('proxies an authenticated request with its body, query and request id', async () => {
    const token = await issuer.sign({});
    const response = await app.inject({
      method: 'POST',
      url: '/v1/clients?x=1',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'x-request-id': 'req-123',
      },
      payload: JSON.stringify({ name: 'ACME' }),
    });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { upstream: 'clients' });
    const seen = catalog.seen.at(-1)!;
    assert.equal(seen.url, '/v1/clients?x=1');
    assert.equal(seen.body, JSON.stringify({ name: 'ACME' }));
    assert.equal(seen.headers['x-request-id'], 'req-123');
    assert.equal(seen.headers.authorization, `Bearer ${token}`);
  });

  it('lets public auth paths through without a token', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/auth/signup',
      payload: { email: 'a@b.c' },
    });
    assert.equal(response.statusCode, 200);
    assert.equal(auth.seen.at(-1)?.url, '/v1/auth/signup');
  });

  it('answers 503 problem+json when the owning service is down', async () => {
    const response = await signedGet('/v1/invoices');
    assert.equal(response.statusCode, 503);
    assert.equal(response.json().code, 'SERVICE_UNAVAILABLE');
  });

  it('answers 404 problem+json for a path no service owns', async () => {
    const response = await signedGet('/v1/nothing');
    assert.equal(response.statusCode, 404);
    assert.equal(response.json().code, 'ROUTE_NOT_FOUND');
  });

  it('rate limits login attempts per client', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: {},
        remoteAddress: '10.9.8.7',
      });
      statuses.push(response.statusCode);
    }
    assert.deepEqual(statuses.slice(0, 3), [200, 200, 200]);
    assert.equal(statuses[4], 429);
    const limited = await app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: {},
      remoteAddress: '10.9.8.7',
    });
    assert.equal(limited.json().code, 'RATE_LIMITED');
  });

  it('merges the OpenAPI documents of the services it can reach', async () => {
    const response = await app.inject({ method: 'GET', url: '/docs/openapi.json' });
    assert.equal(response.statusCode, 200);
    const document = response.json();
    assert.equal(document.openapi, '3.1.0');
    assert.ok(document.paths['/v1/auth']);
    assert.ok(document.paths['/v1/clients']);
  });
});

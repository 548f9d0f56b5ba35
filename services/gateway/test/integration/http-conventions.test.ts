import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { App } from '@invoice/platform-http';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { CLOSED_PORT_URL, startUpstream, type TestUpstream } from '../support/upstreams.ts';

describe('gateway: browser and client conventions', () => {
  let gateway: TestGateway;
  let app: App;
  let catalog: TestUpstream;
  let auth: TestUpstream;

  before(async () => {
    auth = await startUpstream('auth');
    catalog = await startUpstream('clients');
    gateway = await startGateway({
      AUTH_URL: auth.url,
      CATALOG_URL: catalog.url,
      INVOICING_URL: CLOSED_PORT_URL,
      DOCUMENT_URL: CLOSED_PORT_URL,
      NOTIFICATION_URL: CLOSED_PORT_URL,
      CORS_ORIGINS: 'https://app.example.test',
      RATE_LIMIT_PER_MINUTE: '50',
      AUTH_RATE_LIMIT_PER_MINUTE: '5',
    });
    app = gateway.app;
  });

  after(async () => {
    await gateway.close();
    await auth.stop();
    await catalog.stop();
  });

  for (const method of ['PATCH', 'DELETE']) {
    it(`lets a browser on an allowed origin send ${method} after its preflight`, async () => {
      const response = await app.inject({
        method: 'OPTIONS',
        url: '/v1/clients/0190a0e0-0000-7000-8000-000000000001',
        headers: {
          origin: 'https://app.example.test',
          'access-control-request-method': method,
          'access-control-request-headers': 'authorization, content-type, if-match, idempotency-key',
        },
      });
      assert.equal(response.statusCode, 204);
      assert.equal(response.headers['access-control-allow-origin'], 'https://app.example.test');
      const allowed = String(response.headers['access-control-allow-methods'])
        .split(',')
        .map((m) => m.trim());
      assert.ok(allowed.includes(method), `allowed: ${allowed.join(',')}`);
      assert.match(String(response.headers['access-control-allow-headers']), /if-match/);
    });
  }

  it('refuses the preflight of an origin that is not configured', async () => {
    const response = await app.inject({
      method: 'OPTIONS',
      url: '/v1/clients/x',
      headers: { origin: 'https://evil.example.test', 'access-control-request-method': 'DELETE' },
    });
    assert.equal(response.headers['access-control-allow-origin'], undefined);
  });

  it('exposes the headers a browser client reads', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/clients',
      headers: { origin: 'https://app.example.test', ...(await gateway.bearer()) },
    });
    const exposed = String(response.headers['access-control-expose-headers'])
      .split(',')
      .map((h) => h.trim());
    for (const header of [
      'etag',
      'location',
      'retry-after',
      'ratelimit',
      'ratelimit-policy',
      'idempotent-replayed',
    ]) {
      assert.ok(exposed.includes(header), `${header} is exposed (${exposed.join(',')})`);
    }
  });

  it('states the rate limit in the IETF RateLimit and RateLimit-Policy fields', async () => {
    const first = await app.inject({
      method: 'GET',
      url: '/v1/clients',
      headers: await gateway.bearer(),
      remoteAddress: '10.1.1.1',
    });
    assert.equal(first.headers['ratelimit-policy'], '"api";q=50;w=60');
    assert.match(String(first.headers.ratelimit), /^"api";r=49;t=\d+$/);
    assert.equal(first.headers['x-ratelimit-limit'], undefined);
  });

  it('answers an exhausted quota with 429, Retry-After and RateLimit showing none left', async () => {
    const login = () =>
      app.inject({ method: 'POST', url: '/v1/auth/login', payload: {}, remoteAddress: '10.2.2.2' });
    for (let i = 0; i < 5; i++) await login();
    const limited = await login();
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.ok(Number(limited.headers['retry-after']) > 0);
    assert.equal(limited.headers['ratelimit-policy'], '"auth";q=5;w=60');
    assert.match(String(limited.headers.ratelimit), /^"auth";r=0;t=\d+$/);
  });

  it('challenges a request without a token with WWW-Authenticate: Bearer', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/clients' });
    assert.equal(response.statusCode, 401);
    assert.equal(response.headers['www-authenticate'], 'Bearer realm="api"');
  });

  it('serves the AsyncAPI document of the events and a page that renders it at /docs/events', async () => {
    const document = (await app.inject({ method: 'GET', url: '/docs/events/asyncapi.json' })).json();
    assert.equal(document.asyncapi, '3.0.0');
    assert.ok(document.channels['invoicing.invoice.issued.v1']);
    const page = await app.inject({ method: 'GET', url: '/docs/events' });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    const rendered = page.body.match(/<section class="message"/g) ?? [];
    assert.equal(rendered.length, Object.keys(document.channels).length);
  });
});

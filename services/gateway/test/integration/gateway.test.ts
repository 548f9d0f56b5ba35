import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { createJwtVerifier, type App } from '@invoice/platform-http';
import {
  infrastructure,
  silentLogger,
  startTestIssuer,
  testNamespace,
  type TestIssuer,
} from '@invoice/platform-testing';
import { buildApp } from '../../src/app.ts';
import { readConfig } from '../../src/config.ts';

/** A real HTTP upstream that records what reached it. */
async function startUpstream(name: string): Promise<{
  url: string;
  seen: { url: string; headers: IncomingHttpHeaders; body: string }[];
  server: Server;
}> {
  const seen: { url: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      seen.push({ url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString() });
      if (request.url === '/openapi.json') {
        response.setHeader('content-type', 'application/json');
        return response.end(
          JSON.stringify({
            paths: { [`/v1/${name}`]: { get: {} } },
            components: { schemas: { [name]: {} } },
          }),
        );
      }
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ upstream: name }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

describe('gateway', () => {
  let app: App;
  let issuer: TestIssuer;
  let redis: Redis;
  let auth: Awaited<ReturnType<typeof startUpstream>>;
  let catalog: Awaited<ReturnType<typeof startUpstream>>;

  before(async () => {
    const { redisUrl } = await infrastructure();
    issuer = await startTestIssuer();
    auth = await startUpstream('auth');
    catalog = await startUpstream('clients');
    redis = new Redis(redisUrl, { keyPrefix: `${testNamespace()}:` });
    const config = readConfig({
      AUTH_URL: auth.url,
      CATALOG_URL: catalog.url,
      INVOICING_URL: 'http://127.0.0.1:1',
      DOCUMENT_URL: 'http://127.0.0.1:1',
      NOTIFICATION_URL: 'http://127.0.0.1:1',
      AUTH_RATE_LIMIT_PER_MINUTE: '3',
      REDIS_URL: redisUrl,
    });
    const verifier = createJwtVerifier({
      jwksUrl: issuer.jwksUrl,
      issuer: issuer.issuer,
      audience: issuer.audience,
    });
    app = await buildApp({ config, logger: silentLogger(), redis, verifier });
  });

  after(async () => {
    await app.close();
    redis.disconnect();
    await issuer.stop();
    auth.server.close();
    catalog.server.close();
  });

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
    const response = await app.inject({
      method: 'GET',
      url: '/v1/clients',
      headers: { authorization: `Bearer ${token}` },
    });
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
    const token = await issuer.sign({});
    const response = await app.inject({
      method: 'GET',
      url: '/v1/invoices',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(response.statusCode, 503);
    assert.equal(response.json().code, 'SERVICE_UNAVAILABLE');
  });

  it('answers 404 problem+json for a path no service owns', async () => {
    const token = await issuer.sign({});
    const response = await app.inject({
      method: 'GET',
      url: '/v1/nothing',
      headers: { authorization: `Bearer ${token}` },
    });
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

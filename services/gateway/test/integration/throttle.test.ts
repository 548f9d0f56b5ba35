/**
 * The strict limit on credential routes cannot be sidestepped: other spellings of the path count
 * against the same budget, a spoofed X-Forwarded-For changes nothing, and without Redis the routes
 * answer 503 instead of going unlimited.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import type { App } from '@invoice/platform-http';
import { startServiceHarness } from '@invoice/platform-testing';
import { service } from '../../src/service.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { CLOSED_PORT_URL, startUpstream, type TestUpstream } from '../support/upstreams.ts';

describe('strict throttle on credential routes', () => {
  let gateway: TestGateway;
  let app: App;
  let auth: TestUpstream;

  before(async () => {
    auth = await startUpstream('auth');
    gateway = await startGateway({
      AUTH_URL: auth.url,
      CATALOG_URL: CLOSED_PORT_URL,
      INVOICING_URL: CLOSED_PORT_URL,
      DOCUMENT_URL: CLOSED_PORT_URL,
      NOTIFICATION_URL: CLOSED_PORT_URL,
      AUTH_RATE_LIMIT_PER_MINUTE: '20',
    });
    ({ app } = gateway);
  });

  after(async () => {
    await gateway.close();
    await auth.stop();
  });

  const login = (url: string, remoteAddress: string, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url,
      payload: { email: 'a@example.com', password: 'x' },
      remoteAddress,
      headers,
    });

  it('answers the 21st login of a minute with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 21; i += 1) statuses.push((await login('/v1/auth/login', '10.1.0.1')).statusCode);
    assert.deepEqual(statuses.slice(0, 20), Array(20).fill(200));
    const limited = await login('/v1/auth/login', '10.1.0.1');
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.json().code, 'RATE_LIMITED');
    assert.ok(Number(limited.headers['retry-after']) > 0);
    assert.match(String(limited.headers.ratelimit), /^"auth";r=0;t=\d+$/);
  });

  it('counts a trailing slash, percent-encoding, double slashes and case against the same budget', async () => {
    const spellings = [
      '/v1/auth/login/',
      '/v1/auth/%6Cogin',
      '/v1//auth/login',
      '/v1/auth/Login',
      '/v1/auth/%256cogin',
    ];
    const before = auth.seen.length;
    const statuses: number[] = [];
    for (let i = 0; i < 25; i += 1) {
      statuses.push((await login(spellings[i % spellings.length]!, '10.1.0.2')).statusCode);
    }
    assert.equal(statuses.filter((status) => status !== 429).length, 20);
    assert.deepEqual(statuses.slice(20), Array(5).fill(429));
    assert.ok(auth.seen.length - before <= 20, 'no more than the budget reached the auth service');
  });

  it('ignores X-Forwarded-For when no proxy hop is trusted, so a spoofed header does not reset the count', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 22; i += 1) {
      const spoofed = { 'x-forwarded-for': `203.0.113.${i}` };
      statuses.push((await login('/v1/auth/login', '10.1.0.3', spoofed)).statusCode);
    }
    assert.deepEqual(statuses.slice(20), [429, 429]);
    const forwarded = auth.seen.at(-1)?.headers['x-forwarded-for'];
    assert.equal(forwarded, '10.1.0.3', 'the service sees the counted client, not the spoofed header');
  });

  it('with one trusted hop, counts the address the proxy saw, not what the client prepended', async () => {
    const hopGateway = await startGateway({
      AUTH_URL: auth.url,
      CATALOG_URL: CLOSED_PORT_URL,
      INVOICING_URL: CLOSED_PORT_URL,
      DOCUMENT_URL: CLOSED_PORT_URL,
      NOTIFICATION_URL: CLOSED_PORT_URL,
      AUTH_RATE_LIMIT_PER_MINUTE: '3',
      TRUSTED_PROXY_HOPS: '1',
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        const response = await hopGateway.app.inject({
          method: 'POST',
          url: '/v1/auth/login',
          payload: {},
          remoteAddress: '10.0.0.1', // the ingress
          headers: { 'x-forwarded-for': `198.51.100.${i}, 192.0.2.7` },
        });
        statuses.push(response.statusCode);
      }
      assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
    } finally {
      await hopGateway.close();
    }
  });

  it('answers 503 on login, sign-up and reset when Redis is unreachable, while other routes still pass', async () => {
    const down = await startServiceHarness(service, {
      env: {
        AUTH_URL: auth.url,
        CATALOG_URL: CLOSED_PORT_URL,
        INVOICING_URL: CLOSED_PORT_URL,
        DOCUMENT_URL: CLOSED_PORT_URL,
        NOTIFICATION_URL: CLOSED_PORT_URL,
      },
      adjustDeps: (deps) => {
        // Redis "stops": the gateway's connection is cut and cannot reconnect.
        const dead = new Redis('redis://127.0.0.1:1', {
          lazyConnect: true,
          enableOfflineQueue: false,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
        });
        dead.on('error', () => undefined);
        deps.redis.disconnect();
        return { ...deps, redis: dead };
      },
    });
    try {
      for (const url of ['/v1/auth/login', '/v1/auth/signup', '/v1/auth/password-reset', '/v1/auth/login/']) {
        const response = await down.app.inject({ method: 'POST', url, payload: {} });
        assert.equal(response.statusCode, 503, url);
        assert.equal(response.json().code, 'SERVICE_UNAVAILABLE');
      }
      const open = await down.app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
      assert.equal(open.statusCode, 200);
    } finally {
      await down.close();
    }
  });
});

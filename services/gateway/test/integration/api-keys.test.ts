/**
 * API keys through the gateway: a `Bearer ik_…` is exchanged at auth for an access token, which is
 * what the service receives; an unknown key is 401 before anything reaches a service; an exchanged
 * token is reused for a while instead of asking auth on every request.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { CLOSED_PORT_URL, startUpstream, type TestUpstream } from '../support/upstreams.ts';

describe('API keys at the gateway', () => {
  let gateway: TestGateway;
  let catalog: TestUpstream;
  let auth: Server;
  let exchanges = 0;
  let issued = '';

  before(async () => {
    catalog = await startUpstream('catalog');
    auth = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        exchanges += 1;
        const { apiKey } = JSON.parse(body || '{}') as { apiKey?: string };
        response.setHeader('content-type', 'application/json');
        if (request.url !== '/v1/auth/api-key-token' || apiKey !== 'ik_good-key-0123456789') {
          response.statusCode = 401;
          return response.end(JSON.stringify({ code: 'UNAUTHENTICATED' }));
        }
        response.end(JSON.stringify({ accessToken: issued, expiresIn: 300, tokenType: 'Bearer' }));
      });
    });
    await new Promise<void>((resolve) => auth.listen(0, '127.0.0.1', resolve));
    gateway = await startGateway({
      AUTH_URL: `http://127.0.0.1:${(auth.address() as AddressInfo).port}`,
      CATALOG_URL: catalog.url,
      INVOICING_URL: CLOSED_PORT_URL,
      DOCUMENT_URL: CLOSED_PORT_URL,
      NOTIFICATION_URL: CLOSED_PORT_URL,
    });
    issued = await gateway.issuer.sign({ role: 'member', readOnly: true });
  });

  after(async () => {
    await gateway.close();
    await catalog.stop();
    await new Promise<void>((resolve) => auth.close(() => resolve()));
  });

  it('forwards the exchanged access token, not the key, and exchanges once for repeated requests', async () => {
    const before = exchanges;
    for (let i = 0; i < 3; i += 1) {
      const response = await gateway.app.inject({
        method: 'GET',
        url: '/v1/clients',
        headers: { authorization: 'Bearer ik_good-key-0123456789' },
      });
      assert.equal(response.statusCode, 200, response.body);
    }
    assert.equal(exchanges - before, 1);
    const seen = catalog.seen.at(-1)!;
    assert.equal(seen.headers.authorization, `Bearer ${issued}`);
  });

  it('answers an unknown key with 401 without reaching the service', async () => {
    const before = catalog.seen.length;
    const response = await gateway.app.inject({
      method: 'GET',
      url: '/v1/clients',
      headers: { authorization: 'Bearer ik_made-up-key-999999' },
    });
    assert.equal(response.statusCode, 401);
    assert.equal(response.json().code, 'UNAUTHENTICATED');
    assert.equal(catalog.seen.length, before);
  });

  it('refuses writes with a read-only key at the gateway already (403)', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/clients',
      headers: { authorization: 'Bearer ik_good-key-0123456789' },
      payload: { name: 'x' },
    });
    assert.equal(response.statusCode, 403);
  });
});

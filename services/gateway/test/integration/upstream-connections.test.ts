/**
 * The gateway reuses its connections to a service: requests go over kept-alive connections from a
 * pool, never one new TCP connection per request.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { CLOSED_PORT_URL } from '../support/upstreams.ts';

describe('gateway → service connections', () => {
  let gateway: TestGateway;
  let upstream: Server;
  let connections = 0;
  let requests = 0;

  before(async () => {
    upstream = createServer((request, response) => {
      requests++;
      request.resume();
      request.on('end', () => {
        response.setHeader('content-type', 'application/json');
        response.end('{"ok":true}');
      });
    });
    upstream.on('connection', () => connections++);
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    gateway = await startGateway({
      AUTH_URL: CLOSED_PORT_URL,
      CATALOG_URL: url,
      INVOICING_URL: CLOSED_PORT_URL,
      DOCUMENT_URL: CLOSED_PORT_URL,
      NOTIFICATION_URL: CLOSED_PORT_URL,
    });
  });

  after(async () => {
    await gateway.close();
    upstream.closeAllConnections();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
  });

  it('sends many requests over a few kept-alive connections', async () => {
    const headers = { ...(await gateway.bearer()), 'content-type': 'application/json' };
    const inFlight = 8;
    for (let round = 0; round < 10; round++) {
      const responses = await Promise.all(
        Array.from({ length: inFlight }, () =>
          gateway.app.inject({ method: 'POST', url: '/v1/clients', headers, payload: '{"name":"A"}' }),
        ),
      );
      for (const response of responses) assert.equal(response.statusCode, 200);
    }
    assert.equal(requests, 80);
    assert.ok(connections <= inFlight, `${connections} connections for ${requests} requests`);
  });
});

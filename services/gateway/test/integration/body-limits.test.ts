import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import type { Upstream } from '../../src/domain/routing.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { startEarlyUpstream, startUpstream, type TestUpstream } from '../support/upstreams.ts';

const MB = 1024 * 1024;

/** A valid JSON document of about `bytes` bytes. */
function jsonOf(bytes: number): Buffer {
  return Buffer.from(JSON.stringify({ note: 'x'.repeat(bytes - '{"note":""}'.length) }));
}

/** The same bytes as a stream in 64 KB chunks, so the request has no Content-Length. */
function streamed(body: Buffer): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < body.length; at += 64 * 1024) chunks.push(body.subarray(at, at + 64 * 1024));
  return Readable.from(chunks);
}

function assertPayloadTooLarge(response: LightMyRequestResponse): void {
  assert.equal(response.statusCode, 413, response.body.slice(0, 300));
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  const problem = response.json();
  assert.equal(problem.code, 'PAYLOAD_TOO_LARGE');
  assert.equal(problem.status, 413);
  assert.ok(problem.requestId);
}

/** One route of each family, and whether it needs a token. */
const ROUTES: { family: Upstream; url: string; isPublic: boolean }[] = [
  { family: 'auth', url: '/v1/auth/signup', isPublic: true },
  { family: 'catalog', url: '/v1/clients', isPublic: false },
  { family: 'invoicing', url: '/v1/invoices', isPublic: false },
  { family: 'document', url: '/v1/documents', isPublic: false },
  { family: 'notification', url: '/v1/emails', isPublic: false },
];

describe('gateway body limits', () => {
  let gateway: TestGateway;
  const upstreams = {} as Record<Upstream, TestUpstream>;

  before(async () => {
    for (const { family } of ROUTES) upstreams[family] = await startUpstream(family);
    gateway = await startGateway({
      AUTH_URL: upstreams.auth.url,
      CATALOG_URL: upstreams.catalog.url,
      INVOICING_URL: upstreams.invoicing.url,
      DOCUMENT_URL: upstreams.document.url,
      NOTIFICATION_URL: upstreams.notification.url,
    });
  });

  after(async () => {
    await gateway.close();
    for (const upstream of Object.values(upstreams)) await upstream.stop();
  });

  for (const { family, url, isPublic } of ROUTES) {
    it(`refuses a 5 MB JSON body to the ${family} family with 413 problem+json, declared or streamed`, async () => {
      const body = jsonOf(5 * MB);
      const headers = {
        'content-type': 'application/json',
        ...(isPublic ? {} : await gateway.bearer()),
      };
      const declared = await gateway.app.inject({ method: 'POST', url, headers, payload: body });
      assertPayloadTooLarge(declared);
      assert.equal(declared.headers.connection, 'close');

      const chunked = await gateway.app.inject({
        method: 'POST',
        url,
        headers: { ...headers, 'transfer-encoding': 'chunked' },
        payload: streamed(body),
      });
      assertPayloadTooLarge(chunked);
      assert.equal(upstreams[family].seen.length, 0, 'nothing reached the service');
    });
  }

  it('proxies a body of exactly the limit intact, and refuses one byte more', async () => {
    const atLimit = jsonOf(64 * 1024);
    assert.equal(atLimit.length, 64 * 1024);
    const ok = await gateway.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: streamed(atLimit),
    });
    assert.equal(ok.statusCode, 200, ok.body);
    const seen = upstreams.auth.seen.at(-1)!;
    assert.equal(seen.body, atLimit.toString());
    assert.equal(seen.headers['content-length'], String(atLimit.length));

    const over = await gateway.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: Buffer.concat([atLimit, Buffer.from(' ')]),
    });
    assertPayloadTooLarge(over);
  });

  it('lets the largest family (invoicing, 4 MB) take a 3 MB body', async () => {
    const body = jsonOf(3 * MB);
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/invoices',
      headers: { 'content-type': 'application/json', ...(await gateway.bearer()) },
      payload: body,
    });
    assert.equal(response.statusCode, 200, response.body.slice(0, 300));
    assert.equal(upstreams.invoicing.seen.at(-1)?.body.length, body.length);
  });

  it('takes a spreadsheet upload to POST /v1/imports up to its own limit, and no other catalog route', async () => {
    const limited = await startGateway({
      CATALOG_URL: upstreams.catalog.url,
      IMPORT_BODY_LIMIT_BYTES: String(6 * MB),
    });
    try {
      const headers = { 'content-type': 'application/octet-stream', ...(await limited.bearer()) };
      const file = Buffer.alloc(5 * MB, 7);
      const upload = await limited.app.inject({ method: 'POST', url: '/v1/imports', headers, payload: file });
      assert.equal(upload.statusCode, 200, upload.body.slice(0, 300));
      assert.equal(
        upstreams.catalog.seen.at(-1)?.body.length,
        file.length,
        'the whole file reached the catalog',
      );

      const tooLarge = await limited.app.inject({
        method: 'POST',
        url: '/v1/imports',
        headers,
        payload: Buffer.alloc(6 * MB + 1, 7),
      });
      assertPayloadTooLarge(tooLarge);
      assert.match(
        tooLarge.json().detail,
        /import upload API accepts request bodies of at most 6291456 bytes/,
      );

      const elsewhere = await limited.app.inject({
        method: 'POST',
        url: '/v1/imports/x/run',
        headers,
        payload: file,
      });
      assertPayloadTooLarge(elsewhere);
    } finally {
      await limited.close();
    }
  });

  it('checks the token before it reads a body', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/clients',
      headers: { 'content-type': 'application/json' },
      payload: jsonOf(5 * MB),
    });
    assert.equal(response.statusCode, 401);
    assert.equal(response.json().code, 'UNAUTHENTICATED');
  });

  it('takes each limit from its configuration variable', async () => {
    const small = await startGateway({
      CATALOG_URL: upstreams.catalog.url,
      CATALOG_BODY_LIMIT_BYTES: '1000',
    });
    try {
      const headers = { 'content-type': 'application/json', ...(await small.bearer()) };
      const fits = await small.app.inject({
        method: 'POST',
        url: '/v1/clients',
        headers,
        payload: jsonOf(1000),
      });
      assert.equal(fits.statusCode, 200);
      const over = await small.app.inject({
        method: 'POST',
        url: '/v1/clients',
        headers,
        payload: jsonOf(1001),
      });
      assertPayloadTooLarge(over);
      assert.match(over.json().detail, /catalog API accepts request bodies of at most 1000 bytes/);
    } finally {
      await small.close();
    }
  });
});

describe('gateway relaying an upstream that answers before reading the body', { timeout: 60_000 }, () => {
  let gateway: TestGateway;
  let baseUrl: string;
  let invoicing: Awaited<ReturnType<typeof startEarlyUpstream>>;
  let catalog: Awaited<ReturnType<typeof startEarlyUpstream>>;

  before(async () => {
    invoicing = await startEarlyUpstream(413, { code: 'PAYLOAD_TOO_LARGE', from: 'invoicing' });
    catalog = await startEarlyUpstream(400, { code: 'MALFORMED_REQUEST', from: 'catalog' });
    gateway = await startGateway({ INVOICING_URL: invoicing.url, CATALOG_URL: catalog.url });
    // Over real sockets: the early answer and the closed connection race the body being sent.
    await gateway.app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(gateway.app.server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await gateway.close();
    await invoicing.stop();
    await catalog.stop();
  });

  for (const [url, size, status, from] of [
    ['/v1/invoices', 3 * MB, 413, 'invoicing'],
    ['/v1/clients', 512 * 1024, 400, 'catalog'],
  ] as const) {
    it(`relays ${from}'s early ${status} as ${status}, never 503`, async () => {
      const headers = { 'content-type': 'application/json', ...(await gateway.bearer()) };
      for (let attempt = 0; attempt < 10; attempt++) {
        const response = await fetch(`${baseUrl}${url}`, {
          method: 'POST',
          headers,
          body: jsonOf(size),
          signal: AbortSignal.timeout(10_000),
        });
        const body = await response.json();
        assert.equal(response.status, status, `attempt ${attempt}: ${JSON.stringify(body)}`);
        assert.deepEqual(body, { code: status === 413 ? 'PAYLOAD_TOO_LARGE' : 'MALFORMED_REQUEST', from });
      }
    });
  }
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { connect, createServer as createTcpServer, type AddressInfo } from 'node:net';
import { Type } from 'typebox';
import { AppError } from '@invoice/contracts';
import { silentLogger } from '@invoice/platform-testing';
import { createServer, type App } from '../src/index.ts';
import { shedLoad } from '../src/server.ts';

describe('service HTTP server', () => {
  let app: App;
  let ready = true;

  before(async () => {
    app = await createServer({
      service: 'test',
      logger: silentLogger(),
      readiness: [{ name: 'db', check: () => ready }],
    });
    app.post(
      '/items',
      {
        schema: {
          tags: ['items'],
          body: Type.Object(
            {
              name: Type.String({ minLength: 1 }),
              lines: Type.Array(Type.Object({ quantity: Type.String({ pattern: '^[0-9]+$' }) })),
            },
            { additionalProperties: false },
          ),
          response: { 201: Type.Object({ ok: Type.Boolean() }) },
        },
      },
      async (_request, reply) => reply.status(201).send({ ok: true }),
    );
    app.get(
      '/page',
      { schema: { querystring: Type.Object({ limit: Type.Integer() }) } },
      async (request) => ({ limit: (request.query as { limit: number }).limit }),
    );
    app.post(
      '/nullable',
      {
        schema: {
          body: Type.Object({
            currency: Type.Union([Type.String({ enum: ['EUR', 'USD'] }), Type.Null()]),
          }),
        },
      },
      async () => ({ ok: true }),
    );
    app.post('/act', async (request) => ({ body: request.body ?? null }));
    app.get('/conflict', async () => {
      throw new AppError('INVOICE_NOT_DRAFT', { detail: 'Invoice INV-1 is issued' });
    });
    app.get('/crash', async () => {
      throw new Error('secret connection string postgres://user:pw@db');
    });
    await app.ready();
  });

  after(() => app.close());

  /** POSTs `body` as written (unparsed, possibly not JSON at all) as `application/json`. */
  const postRawJson = (url: string, body: string) =>
    app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': 'application/json' } });

  it('names every failing field of an invalid body as a JSON pointer', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/items',
      payload: { lines: [{ quantity: '1.5' }], extra: 1 },
    });
    assert.equal(response.statusCode, 400);
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    const problem = response.json();
    assert.equal(problem.code, 'VALIDATION_FAILED');
    const fields = problem.errors.map((e: { field: string }) => e.field).sort();
    assert.deepEqual(fields, ['/extra', '/lines/0/quantity', '/name']);
  });

  it('rejects a JSON number where a decimal string is expected instead of coercing it', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/items',
      payload: { name: 'a', lines: [{ quantity: 12 }] },
    });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().errors[0].field, '/lines/0/quantity');
  });

  it('coerces query string values to their schema types', async () => {
    const response = await app.inject({ method: 'GET', url: '/page?limit=5' });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { limit: 5 });
  });

  it('reports the real reason for a bad value in a nullable field, without anyOf noise', async () => {
    const response = await app.inject({ method: 'POST', url: '/nullable', payload: { currency: 'XYZ' } });
    assert.equal(response.statusCode, 400);
    assert.deepEqual(
      response.json().errors.map((e: { field: string }) => e.field),
      ['/currency'],
    );
  });

  it('maps an application error to its status with code, detail and request id', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/conflict',
      headers: { 'x-request-id': 'abc' },
    });
    assert.equal(response.statusCode, 409);
    assert.equal(response.headers['x-request-id'], 'abc');
    assert.deepEqual(
      { code: response.json().code, detail: response.json().detail, requestId: response.json().requestId },
      { code: 'INVOICE_NOT_DRAFT', detail: 'Invoice INV-1 is issued', requestId: 'abc' },
    );
  });

  it('never echoes the message of an unexpected error', async () => {
    const response = await app.inject({ method: 'GET', url: '/crash' });
    assert.equal(response.statusCode, 500);
    assert.equal(response.json().code, 'INTERNAL');
    assert.ok(!response.body.includes('postgres://'));
  });

  it('answers malformed JSON with 400 MALFORMED_REQUEST', async () => {
    const response = await postRawJson('/items', '{"name":');
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().code, 'MALFORMED_REQUEST');
  });

  it('reads an empty JSON body as no body on an action route', async () => {
    const response = await postRawJson('/act', '');
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { body: null });
  });

  it('answers an unknown route with 404 problem+json', async () => {
    const response = await app.inject({ method: 'GET', url: '/nope' });
    assert.equal(response.statusCode, 404);
    assert.equal(response.json().code, 'ROUTE_NOT_FOUND');
  });

  it('reports readiness from its checks', async () => {
    assert.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
    ready = false;
    const notReady = await app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(notReady.statusCode, 503);
    assert.deepEqual(notReady.json().checks, { db: false });
    ready = true;
    assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
  });

  it('publishes an OpenAPI 3.1 document built from the route schemas', async () => {
    const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    assert.equal(document.openapi, '3.1.0');
    assert.ok(document.paths['/items'].post.requestBody);
    assert.equal(document.paths['/healthz'], undefined);
  });
});

/** Keeps the event loop busy, as start-up work (module loading, migrations) does. */
function blockEventLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy
  }
}

describe('load shedding (under-pressure)', () => {
  it('treats an event-loop delay without a sample as no measurement, and a real one as pressure', () => {
    assert.doesNotThrow(() => shedLoad('eventLoopDelay', Infinity));
    assert.doesNotThrow(() => shedLoad('eventLoopDelay', Number.NaN));
    assert.throws(
      () => shedLoad('eventLoopDelay', 2_500),
      (error: unknown) => error instanceof AppError && error.code === 'SERVICE_UNAVAILABLE',
    );
    assert.throws(() => shedLoad('heapUsedBytes', Infinity), AppError);
  });

  it('answers 503 problem+json with Retry-After, not 500, when a dependency refuses connections', async () => {
    const closed = await closedPort();
    const app = await createServer({ service: 'deps', logger: silentLogger() });
    app.get('/needs-db', async () => {
      // What a database client does when its server is down: the connection is refused.
      await new Promise((resolve, reject) => {
        const socket = connect(closed, '127.0.0.1', () => resolve(socket.end()));
        socket.once('error', reject);
      });
      return { ok: true };
    });
    app.get('/db-shutting-down', async () => {
      throw Object.assign(new Error('terminating connection due to administrator command'), {
        code: '57P01',
      });
    });
    try {
      for (const url of ['/needs-db', '/db-shutting-down']) {
        const response = await app.inject({ method: 'GET', url });
        assert.equal(response.statusCode, 503, `${url}: ${response.body}`);
        assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
        assert.equal(response.json().code, 'SERVICE_UNAVAILABLE');
        assert.equal(response.headers['retry-after'], '1');
      }
    } finally {
      await app.close();
    }
  });

  it('answers a malformed percent-escape and an over-long path parameter with problem+json', async () => {
    const app = await createServer({ service: 'urls', logger: silentLogger() });
    app.get('/things/:id', async () => ({ ok: true }));
    try {
      const malformed = await app.inject({ method: 'GET', url: '/things/%zz' });
      assert.equal(malformed.statusCode, 400);
      assert.match(String(malformed.headers['content-type']), /^application\/problem\+json/);
      assert.equal(malformed.json().code, 'MALFORMED_URL');
      const long = await app.inject({ method: 'GET', url: `/things/${'a'.repeat(5_000)}` });
      assert.equal(long.statusCode, 414);
      assert.equal(long.json().code, 'URI_TOO_LONG');
    } finally {
      await app.close();
    }
  });

  it('answers headers over the size limit with 431 problem+json and closes the connection', async () => {
    const app = await createServer({ service: 'headers', logger: silentLogger() });
    app.get('/ping', async () => ({ ok: true }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = app.server.address() as AddressInfo;
      const answer = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
        const request = httpRequest(
          {
            host: '127.0.0.1',
            port,
            path: '/ping',
            headers: { 'x-filler': 'h'.repeat(64 * 1024) },
            agent: false,
          },
          (response) => {
            let body = '';
            response.on('data', (chunk: Buffer) => (body += chunk.toString()));
            response.on('end', () =>
              resolve({
                status: response.statusCode ?? 0,
                type: String(response.headers['content-type']),
                body,
              }),
            );
          },
        );
        request.on('error', reject);
        request.end();
      });
      assert.equal(answer.status, 431);
      assert.match(answer.type, /^application\/problem\+json/);
      assert.equal(JSON.parse(answer.body).code, 'HEADERS_TOO_LARGE');
    } finally {
      await app.close();
    }
  });

  it('runs its readiness checks at once, a throwing check counting as not ready', async () => {
    let running = 0;
    let most = 0;
    const slow = (ready: boolean) => async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 50));
      running--;
      return ready;
    };
    const app = await createServer({
      service: 'checks',
      logger: silentLogger(),
      readiness: [
        { name: 'a', check: slow(true) },
        { name: 'b', check: slow(true) },
        {
          name: 'c',
          check: () => {
            throw new Error('down');
          },
        },
      ],
    });
    try {
      const response = await app.inject({ method: 'GET', url: '/readyz' });
      assert.equal(response.statusCode, 503);
      assert.deepEqual(response.json().checks, { a: true, b: true, c: false });
      assert.equal(most, 2, 'both slow checks ran at the same time');
    } finally {
      await app.close();
    }
  });

  it('answers the first request of a server whose start-up kept the loop busy (no 503)', async () => {
    const app = await createServer({ service: 'fresh', logger: silentLogger() });
    app.get('/ping', async () => ({ ok: true }));
    try {
      // The first sample interval (1 s) passes without a single event-loop sample, so
      // under-pressure's first reading is Infinity: exactly what a service sees after start-up.
      blockEventLoop(1_200);
      await waitUntil(() => app.memoryUsage().eventLoopDelay !== 0, 3_000);
      assert.equal(app.memoryUsage().eventLoopDelay, Infinity);
      const response = await app.inject({ method: 'GET', url: '/ping' });
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(app.isUnderPressure(), true, 'under-pressure itself still counts Infinity as pressure');
    } finally {
      await app.close();
    }
  });
});

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A port nothing listens on (bound once, then released). */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

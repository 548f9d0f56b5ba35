import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { memoryLogger, type LogLine } from '@invoice/platform-testing';
import { createServer, type App } from '../src/index.ts';
import { loggedUrl } from '../src/server.ts';

describe('request log', () => {
  let app: App;
  let lines: LogLine[];

  before(async () => {
    const memory = memoryLogger('info');
    lines = memory.lines;
    app = await createServer({ service: 'test', logger: memory.logger });
    app.get('/things', async () => ({ ok: true }));
    app.get(
      '/mine',
      {
        preHandler: async (request) => {
          request.auth = { userId: 'u1', orgId: 'org-1', role: 'owner', permissions: [] };
        },
      },
      async () => ({ ok: true }),
    );
    app.get('/crash', async () => {
      throw new Error('boom');
    });
    await app.ready();
  });

  after(() => app.close());

  const requestLines = () => lines.filter((line) => line.msg === 'request completed');

  it('writes one line per request, when it completes, at info', async () => {
    lines.length = 0;
    const response = await app.inject({ method: 'GET', url: '/things?limit=5' });
    assert.equal(response.statusCode, 200);
    assert.equal(lines.length, 1, JSON.stringify(lines));
    const [line] = requestLines();
    assert.equal(line?.level, 30);
    assert.equal(line?.method, 'GET');
    assert.equal(line?.url, '/things?limit=5');
    assert.equal(line?.statusCode, 200);
    assert.equal(typeof line?.responseTime, 'number');
    assert.equal(line?.reqId, response.headers['x-request-id']);
    assert.equal(line?.orgId, undefined);
  });

  it("names the caller's organization once the request is authenticated", async () => {
    lines.length = 0;
    await app.inject({ method: 'GET', url: '/mine' });
    assert.equal(requestLines()[0]?.orgId, 'org-1');
  });

  it('logs a 4xx at info and a 5xx at error', async () => {
    lines.length = 0;
    await app.inject({ method: 'GET', url: '/nowhere' });
    await app.inject({ method: 'GET', url: '/crash' });
    assert.deepEqual(
      requestLines().map((line) => [line.statusCode, line.level]),
      [
        [404, 30],
        [500, 50],
      ],
    );
  });

  it('never logs the value of a query parameter that may be a secret', async () => {
    lines.length = 0;
    await app.inject({ method: 'GET', url: '/things?token=abc&page=2&X-Amz-Signature=def&apiKey=ghi' });
    assert.equal(
      requestLines()[0]?.url,
      '/things?token=[redacted]&page=2&X-Amz-Signature=[redacted]&apiKey=[redacted]',
    );
    assert.ok(!JSON.stringify(lines).includes('abc'));
    assert.equal(loggedUrl('/a'), '/a');
    assert.equal(loggedUrl('/a?flag'), '/a?flag');
    assert.equal(loggedUrl('/a?code=1&q=x'), '/a?code=[redacted]&q=x');
  });
});

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startHarness, type Harness } from '../support/harness.ts';

interface Operation {
  tags?: string[];
  summary?: string;
  security?: unknown[];
  responses: Record<string, unknown>;
}

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h?.close());

test('every catalog route is documented with tags, summary, bearer security and its error statuses', async () => {
  const response = await h.app.inject({ method: 'GET', url: '/openapi.json' });
  assert.equal(response.statusCode, 200);
  const paths = response.json().paths as Record<string, Record<string, Operation>>;
  const common = ['400', '401', '503'];
  const expected: [string, string, string[]][] = [
    ['/v1/clients', 'get', ['200']],
    // Any member may write clients: no 403.
    ['/v1/clients', 'post', ['201', '409', '422']],
    ['/v1/clients/{id}', 'get', ['200', '304', '404']],
    ['/v1/clients/{id}', 'patch', ['200', '404', '412']],
    ['/v1/clients/{id}', 'delete', ['204', '404', '412']],
    ['/v1/products', 'get', ['200']],
    ['/v1/products', 'post', ['201', '403', '409', '422']],
    ['/v1/products/{id}', 'get', ['200', '304', '404']],
    ['/v1/products/{id}', 'patch', ['200', '403', '404', '409', '412']],
    ['/v1/products/{id}', 'delete', ['204', '403', '404', '412']],
  ];
  for (const [path, method, statuses] of expected) {
    const operation = paths[path]?.[method];
    assert.ok(operation, `${method} ${path} is documented`);
    assert.ok(operation.tags?.length && operation.summary, `${method} ${path} has tags and a summary`);
    assert.deepEqual(
      Object.keys(operation.responses).sort(),
      [...statuses, ...common].sort(),
      `${method} ${path}`,
    );
    assert.deepEqual(operation.security, [{ bearerAuth: [] }], `${method} ${path} security`);
  }
  for (const path of ['/v1/clients', '/v1/products']) {
    const parameters =
      (paths[path]?.post as { parameters?: { name: string; in: string }[] }).parameters ?? [];
    assert.ok(
      parameters.some((p) => p.in === 'header' && p.name === 'idempotency-key'),
      `POST ${path} documents Idempotency-Key`,
    );
  }
});

test('readiness reports Postgres and NATS', async () => {
  const response = await h.app.inject({ method: 'GET', url: '/readyz' });
  assert.equal(response.statusCode, 200);
  assert.deepEqual(response.json().checks, { postgres: true, nats: true });
});

/**
 * `/docs` as a person sees it: headless Chromium opens the gateway's Swagger UI, which must render
 * every operation of the merged document of all services (not the gateway's own, empty one).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startApis, type RunningApis } from './support/apis.ts';
import { findChromium, renderedDom } from './support/chromium.ts';

const chromium = findChromium();
const skip = chromium
  ? false
  : 'Chromium not found (install Debian\'s "chromium" package or set CHROMIUM_PATH); .ci/run installs it';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: unknown[];
  responses: Record<
    string,
    { description?: string; content?: Record<string, unknown>; headers?: Record<string, unknown> }
  >;
}

describe('/docs and the merged OpenAPI document', { timeout: 180_000 }, () => {
  let apis: RunningApis;

  before(async () => {
    apis = await startApis();
  });

  after(async () => {
    await apis?.close();
  });

  it('renders every operation of the merged document in a browser', { skip }, async () => {
    const document = (await (await fetch(`${apis.gatewayUrl}/docs/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
    const operations = Object.values(document.paths).flatMap((item) =>
      Object.keys(item).filter((key) => METHODS.includes(key)),
    );
    assert.ok(operations.length > 20, `the merged document has ${operations.length} operations`);

    const dom = await renderedDom(chromium!, `${apis.gatewayUrl}/docs/`);
    assert.doesNotMatch(dom, /No operations defined in spec/);
    const rendered =
      dom.match(/class="opblock opblock-(get|put|post|delete|patch|head|options|trace)\b/g) ?? [];
    assert.equal(rendered.length, operations.length);
    assert.match(dom, /Invoice platform API/);
  });

  it('documents every operation the way generated clients need it', async () => {
    const document = (await (await fetch(`${apis.gatewayUrl}/docs/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    const ids = new Set<string>();
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (!METHODS.includes(method)) continue;
        const name = `${method.toUpperCase()} ${path}`;
        assert.ok(operation.operationId && !ids.has(operation.operationId), `${name}: a unique operationId`);
        ids.add(operation.operationId);
        assert.ok(operation.summary && operation.description && operation.tags?.length, `${name}: described`);
        assert.ok(Array.isArray(operation.security), `${name}: states its security`);
        const open = operation.security.length === 0;
        if (open) {
          assert.ok(
            name.startsWith('POST /v1/auth/') || path === '/.well-known/jwks.json',
            `${name} is open`,
          );
        }
        for (const [status, response] of Object.entries(operation.responses)) {
          assert.notEqual(response.description, 'Default Response', `${name} ${status}`);
          if (Number(status) >= 400) {
            assert.deepEqual(
              Object.keys(response.content ?? {}),
              ['application/problem+json'],
              `${name} ${status}`,
            );
          }
          assert.ok(response.headers?.RateLimit, `${name} ${status}: RateLimit documented`);
        }
        assert.ok(operation.responses['429'], `${name}: 429 documented`);
        if (!open) assert.ok(operation.responses['401'], `${name}: 401 documented`);
      }
    }
    assert.deepEqual(document.paths['/v1/auth/login']?.post?.security, []);
  });

  it('answers a wrong method through the gateway with 405 and Allow from the owning service', async () => {
    const response = await fetch(`${apis.gatewayUrl}/v1/auth/login`, { method: 'PUT' });
    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'POST');
    assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    assert.equal(((await response.json()) as { code: string }).code, 'METHOD_NOT_ALLOWED');
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mergeOpenApi } from '../../src/domain/openapi-merge.ts';

const ok = { '200': { description: 'OK' } };
const auth = {
  paths: {
    '/v1/auth/login': { post: { requestBody: { content: {} }, responses: ok } },
    '/v1/auth/me': { get: { responses: ok } },
  },
  components: { schemas: { TokenPair: { type: 'object' } } },
  tags: [{ name: 'auth' }],
};
const catalog = {
  paths: { '/v1/clients/{id}': { get: { parameters: [{ in: 'path', name: 'id' }], responses: ok } } },
  components: { schemas: { Client: { type: 'object' } } },
  tags: [{ name: 'clients' }],
};

type Operation = { security: unknown[]; responses: Record<string, { headers?: Record<string, unknown> }> };

describe('merged OpenAPI document', () => {
  const merged = mergeOpenApi([auth, catalog], { title: 'API', version: '1' }) as {
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, unknown>; headers: Record<string, unknown> };
    tags: { name: string }[];
  };

  it('states security from the public-path table: none for login, bearer for the rest', () => {
    assert.deepEqual(merged.paths['/v1/auth/login']!.post!.security, []);
    assert.deepEqual(merged.paths['/v1/auth/me']!.get!.security, [{ bearerAuth: [] }]);
    assert.deepEqual(merged.paths['/v1/clients/{id}']!.get!.security, [{ bearerAuth: [] }]);
  });

  it('documents what the gateway answers itself', () => {
    assert.deepEqual(Object.keys(merged.paths['/v1/auth/login']!.post!.responses).sort(), [
      '200',
      '400',
      '413',
      '415',
      '429',
      '503',
    ]);
    assert.deepEqual(Object.keys(merged.paths['/v1/auth/me']!.get!.responses).sort(), [
      '200',
      '401',
      '429',
      '503',
    ]);
    assert.ok(merged.paths['/v1/clients/{id}']!.get!.responses['400']);
  });

  it('documents the RateLimit fields on every response', () => {
    for (const response of Object.values(merged.paths['/v1/auth/me']!.get!.responses)) {
      assert.ok(response.headers?.RateLimit && response.headers['RateLimit-Policy']);
    }
    assert.ok(merged.components.headers.RateLimit);
  });

  it('keeps every service component and tag, and the shared Problem', () => {
    assert.deepEqual(Object.keys(merged.components.schemas).sort(), ['Client', 'Problem', 'TokenPair']);
    assert.deepEqual(
      merged.tags.map((tag) => tag.name),
      ['auth', 'clients'],
    );
  });
});

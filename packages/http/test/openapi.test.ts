import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from 'typebox';
import { silentLogger } from '@invoice/platform-testing';
import {
  createServer,
  IdempotencyHeadersSchema,
  IfMatchHeaderSchema,
  operationIdFor,
  ProblemRef,
  type App,
} from '../src/index.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('OpenAPI conventions applied to every service document', () => {
  let app: App;
  let document: Json;

  before(async () => {
    app = await createServer({ service: 'test', logger: silentLogger() });
    const Thing = Type.Object({ id: Type.String() }, { title: 'Thing' });
    app.post(
      '/v1/things',
      {
        schema: {
          headers: IdempotencyHeadersSchema,
          body: Type.Object({ name: Type.String() }),
          response: { 201: Thing, 409: ProblemRef },
        },
      },
      async () => ({ id: 'x' }),
    );
    app.get(
      '/v1/things/:id',
      {
        schema: { description: 'Reads a thing. Any member may.', response: { 200: Thing, 404: ProblemRef } },
      },
      async () => ({ id: 'x' }),
    );
    app.patch(
      '/v1/things/:id',
      {
        schema: {
          summary: 'Change a thing',
          headers: IfMatchHeaderSchema,
          body: Type.Object({ name: Type.Optional(Type.String()) }),
          response: { 200: Thing },
        },
      },
      async () => ({ id: 'x' }),
    );
    document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
  });

  after(async () => {
    await app.close();
  });

  it('derives a stable operationId from method and path', () => {
    assert.equal(operationIdFor('post', '/v1/invoices/{id}/send'), 'postInvoicesByIdSend');
    assert.equal(operationIdFor('get', '/.well-known/jwks.json'), 'getWellKnownJwksJson');
    assert.equal(document.paths['/v1/things/{id}'].get.operationId, 'getThingsById');
  });

  it('gives every operation a summary, a description and a tag', () => {
    const read = document.paths['/v1/things/{id}'].get;
    assert.equal(read.summary, 'Reads a thing');
    assert.equal(read.description, 'Reads a thing. Any member may.');
    assert.deepEqual(read.tags, ['things']);
    assert.deepEqual(
      document.tags.map((tag: Json) => tag.name),
      ['things'],
    );
  });

  it('documents errors as application/problem+json with the Problem component', () => {
    const notFound = document.paths['/v1/things/{id}'].get.responses['404'];
    assert.deepEqual(Object.keys(notFound.content), ['application/problem+json']);
    assert.equal(notFound.content['application/problem+json'].schema.$ref, '#/components/schemas/Problem');
    assert.ok(document.components.schemas.Problem);
  });

  it('names titled schemas as components instead of repeating them inline', () => {
    const created = document.paths['/v1/things'].post.responses['201'];
    assert.deepEqual(created.content['application/json'].schema, { $ref: '#/components/schemas/Thing' });
    assert.ok(!Object.keys(document.components.schemas).some((name) => name.startsWith('def-')));
  });

  it('describes responses by status and documents their headers', () => {
    const created = document.paths['/v1/things'].post.responses['201'];
    assert.equal(created.description, 'Created');
    assert.ok(created.headers.Location && created.headers['Idempotent-Replayed']);
    const read = document.paths['/v1/things/{id}'].get.responses;
    assert.ok(read['200'].headers.ETag, 'a resource written with If-Match answers with its ETag');
    assert.ok(read['304'], 'and its GET documents 304');
  });

  it('accepts JSON Merge Patch on PATCH in the document too', () => {
    const body = document.paths['/v1/things/{id}'].patch.requestBody.content;
    assert.deepEqual(Object.keys(body).sort(), ['application/json', 'application/merge-patch+json']);
  });
});

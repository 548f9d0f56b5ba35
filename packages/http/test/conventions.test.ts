import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from 'typebox';
import { AppError } from '@invoice/contracts';
import { silentLogger } from '@invoice/platform-testing';
import { createServer, type App } from '../src/index.ts';

describe('HTTP conventions of every service', () => {
  let app: App;

  before(async () => {
    app = await createServer({ service: 'test', logger: silentLogger() });
    const Body = Type.Object({ name: Type.Optional(Type.String({ minLength: 1 })) });
    app.get('/things/:id', async (_request, reply) => reply.header('etag', '"7"').send({ id: 'x' }));
    app.patch('/things/:id', { schema: { body: Body } }, async (request) => ({ merged: request.body }));
    app.delete('/things/:id', async (_request, reply) => reply.status(204).send());
    app.post('/things', { schema: { body: Body } }, async (request) => ({ created: request.body }));
    app.get(
      '/search',
      { schema: { querystring: Type.Object({ limit: Type.Integer({ maximum: 10 }) }) } },
      async () => ({}),
    );
    app.get('/private', async () => {
      throw new AppError('UNAUTHENTICATED');
    });
    await app.ready();
  });

  after(async () => {
    await app.close();
  });

  it('answers a wrong method on an existing path with 405 and the allowed methods', async () => {
    const response = await app.inject({ method: 'PUT', url: '/things/42' });
    assert.equal(response.statusCode, 405);
    assert.equal(response.headers.allow, 'DELETE, GET, HEAD, PATCH');
    assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(response.json().code, 'METHOD_NOT_ALLOWED');
  });

  it('keeps 404 for a path that no method has', async () => {
    const response = await app.inject({ method: 'PUT', url: '/nothing/here' });
    assert.equal(response.statusCode, 404);
    assert.equal(response.headers.allow, undefined);
    assert.equal(response.json().code, 'ROUTE_NOT_FOUND');
  });

  it('answers a body of an unsupported content type with 415', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'text/plain' },
      payload: 'name=x',
    });
    assert.equal(response.statusCode, 415);
    assert.equal(response.json().code, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('accepts a JSON Merge Patch body on PATCH', async () => {
    const response = await app.inject({
      method: 'PATCH',
      url: '/things/42',
      headers: { 'content-type': 'application/merge-patch+json' },
      payload: JSON.stringify({ name: 'new' }),
    });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { merged: { name: 'new' } });
  });

  it('refuses a merge patch body on a method that does not merge with 415', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'application/merge-patch+json' },
      payload: JSON.stringify({ name: 'new' }),
    });
    assert.equal(response.statusCode, 415);
  });

  it('answers a GET whose If-None-Match names the ETag with 304 and no body', async () => {
    for (const condition of ['"7"', 'W/"7"', '"1", "7"', '*']) {
      const response = await app.inject({
        method: 'GET',
        url: '/things/42',
        headers: { 'if-none-match': condition },
      });
      assert.equal(response.statusCode, 304, condition);
      assert.equal(response.body, '');
      assert.equal(response.headers.etag, '"7"');
    }
  });

  it('answers a GET whose If-None-Match names another ETag in full', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/things/42',
      headers: { 'if-none-match': '"6"' },
    });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { id: 'x' });
  });

  it('challenges with WWW-Authenticate: Bearer on 401', async () => {
    const anonymous = await app.inject({ method: 'GET', url: '/private' });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.headers['www-authenticate'], 'Bearer realm="api"');
    const withToken = await app.inject({
      method: 'GET',
      url: '/private',
      headers: { authorization: 'Bearer nope' },
    });
    assert.equal(withToken.headers['www-authenticate'], 'Bearer realm="api", error="invalid_token"');
  });

  it('names a failing query field as a JSON pointer with in: query and a readable detail', async () => {
    const response = await app.inject({ method: 'GET', url: '/search?limit=99' });
    assert.equal(response.statusCode, 400);
    const problem = response.json();
    assert.deepEqual(problem.errors, [{ field: '/limit', in: 'query', message: 'must be <= 10' }]);
    assert.equal(problem.detail, 'The query string is not valid: /limit must be <= 10');
  });

  it('names a failing body field with in: body', async () => {
    const response = await app.inject({ method: 'POST', url: '/things', payload: { name: '' } });
    assert.equal(response.statusCode, 400);
    assert.deepEqual(response.json().errors, [
      { field: '/name', in: 'body', message: 'must NOT have fewer than 1 characters' },
    ]);
  });

  it('splits a field written part:pointer into the pointer and its location', async () => {
    const problem = (
      await (async () => {
        const local = await createServer({ service: 'test', logger: silentLogger() });
        local.get('/x', async () => {
          throw AppError.field('VALIDATION_FAILED', 'querystring:/cursor', 'is not a cursor');
        });
        const response = await local.inject({ method: 'GET', url: '/x' });
        await local.close();
        return response;
      })()
    ).json();
    assert.deepEqual(problem.errors, [
      { field: '/cursor', in: 'query', message: 'is not a cursor', code: 'VALIDATION_FAILED' },
    ]);
  });
});

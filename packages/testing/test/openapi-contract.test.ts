import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openApiContract } from '../src/openapi-contract.ts';

const problem = {
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};
const document = {
  openapi: '3.1.0',
  paths: {
    '/v1/things/{id}': {
      get: {
        responses: {
          '200': {
            description: 'OK',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
          },
          '404': { description: 'Not Found', ...problem },
        },
      },
    },
    '/v1/things/export': {
      get: {
        responses: { '200': { description: 'OK', content: { 'text/csv': { schema: { type: 'string' } } } } },
      },
    },
    '/v1/things/{id}/send': { post: { responses: { '202': { description: 'Accepted' } } } },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object',
        required: ['id', 'amount'],
        properties: {
          id: { type: 'string', format: 'uuid' },
          amount: { type: 'string', pattern: '^\\d+\\.\\d{2}$' },
        },
      },
      Problem: {
        type: 'object',
        required: ['code', 'status'],
        properties: { code: { type: 'string' }, status: { type: 'integer' } },
      },
    },
  },
};

const contract = openApiContract(document);
const id = '0190a0e0-0000-7000-8000-000000000001';
const json = 'application/json; charset=utf-8';

describe('OpenAPI response contract', () => {
  it('accepts a response that matches its documented status, media type and schema', () => {
    const body = JSON.stringify({ id, amount: '10.00' });
    assert.deepEqual(
      contract.violations({ method: 'GET', url: `/v1/things/${id}`, status: 200, contentType: json, body }),
      [],
    );
  });

  it('fails a body that breaks the schema (a number where a decimal string is documented)', () => {
    const body = JSON.stringify({ id, amount: 10 });
    const found = contract.violations({
      method: 'GET',
      url: `/v1/things/${id}`,
      status: 200,
      contentType: json,
      body,
    });
    assert.equal(found.length, 1);
    assert.match(found[0]!, /GET \/v1\/things\/\{id\} → 200: \/amount must be string/);
  });

  it('fails an error sent as application/json where problem+json is documented', () => {
    const body = JSON.stringify({ code: 'NOT_FOUND', status: 404 });
    const found = contract.violations({
      method: 'GET',
      url: `/v1/things/${id}`,
      status: 404,
      contentType: json,
      body,
    });
    assert.match(found[0]!, /content type application\/json not documented/);
    assert.deepEqual(
      contract.violations({
        method: 'GET',
        url: `/v1/things/${id}`,
        status: 404,
        contentType: 'application/problem+json; charset=utf-8',
        body,
      }),
      [],
    );
  });

  it('fails a status the operation does not document', () => {
    const found = contract.violations({
      method: 'GET',
      url: `/v1/things/${id}`,
      status: 409,
      contentType: json,
      body: '{}',
    });
    assert.match(found[0]!, /status not documented/);
  });

  it('fails a body on a response documented without one', () => {
    const found = contract.violations({
      method: 'POST',
      url: `/v1/things/${id}/send`,
      status: 202,
      contentType: json,
      body: '{"queued":true}',
    });
    assert.match(found[0]!, /not documented \(documented: no body\)/);
  });

  it('matches a literal path before a parameter, and a request to no operation not at all', () => {
    assert.equal(contract.operationFor('GET', '/v1/things/export?x=1'), 'GET /v1/things/export');
    assert.equal(contract.operationFor('GET', `/v1/things/${id}`), 'GET /v1/things/{id}');
    const found = contract.violations({
      method: 'PUT',
      url: '/v1/things/x',
      status: 200,
      contentType: null,
      body: '',
    });
    assert.match(found[0]!, /no such operation/);
  });
});

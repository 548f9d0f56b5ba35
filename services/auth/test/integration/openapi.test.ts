import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from '../support/harness.ts';

interface Operation {
  tags?: string[];
  summary?: string;
  security?: unknown[];
  responses: Record<string, unknown>;
}

describe('OpenAPI document', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(async () => {
    await harness?.close();
  });

  it('documents every auth route with tags, a summary, its error statuses and bearer security where needed', async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(response.statusCode, 200);
    const paths = response.json().paths as Record<string, Record<string, Operation>>;
    const expected: [string, string, string[], boolean][] = [
      ['/v1/auth/signup', 'post', ['201', '400', '409', '422'], false],
      ['/v1/auth/verify-email', 'post', ['200', '400'], false],
      ['/v1/auth/login', 'post', ['200', '400', '401', '403', '429'], false],
      ['/v1/auth/refresh', 'post', ['200', '400'], false],
      ['/v1/auth/logout', 'post', ['204', '400'], false],
      ['/v1/auth/me', 'get', ['200', '401', '403'], true],
      ['/v1/organization', 'get', ['200', '401', '404'], true],
      ['/v1/organization', 'patch', ['200', '400', '401', '403', '404'], true],
      ['/.well-known/jwks.json', 'get', ['200'], false],
      ['/v1/auth/accept-invitation', 'post', ['200', '400', '401', '409', '429'], false],
      ['/v1/auth/switch-organization', 'post', ['200', '400', '401', '403', '404'], true],
      ['/v1/auth/password-reset', 'post', ['202', '400'], false],
      ['/v1/auth/password-reset/confirm', 'post', ['204', '400'], false],
      ['/v1/auth/password', 'post', ['204', '400', '401', '403', '429'], true],
      ['/v1/auth/resend-verification', 'post', ['202', '400'], false],
      ['/v1/auth/logout-all', 'post', ['204', '401', '403'], true],
      ['/v1/auth/organizations', 'get', ['200', '401', '403'], true],
      ['/v1/auth/api-key-token', 'post', ['200', '400', '401'], false],
      ['/v1/organization/settings', 'get', ['200', '401', '403'], true],
      ['/v1/organization/settings', 'patch', ['200', '400', '401', '403'], true],
      ['/v1/members', 'get', ['200', '401', '403'], true],
      ['/v1/members/{id}', 'get', ['200', '400', '401', '403', '404'], true],
      ['/v1/members/{id}', 'patch', ['200', '400', '401', '403', '404', '409'], true],
      ['/v1/members/{id}', 'delete', ['204', '400', '401', '403', '404', '409'], true],
      ['/v1/invitations', 'post', ['201', '400', '401', '403', '409', '422'], true],
      ['/v1/invitations', 'get', ['200', '401', '403'], true],
      ['/v1/invitations/{id}', 'delete', ['204', '400', '401', '403', '404'], true],
      ['/v1/invitations/{id}/resend', 'post', ['200', '400', '401', '403', '404', '409', '422'], true],
      ['/v1/api-keys', 'post', ['201', '400', '401', '403', '409', '422'], true],
      ['/v1/api-keys', 'get', ['200', '401', '403'], true],
      ['/v1/api-keys/{id}', 'delete', ['204', '400', '401', '403', '404'], true],
    ];
    for (const [path, method, statuses, secured] of expected) {
      const operation = paths[path]?.[method];
      assert.ok(operation, `${method} ${path} is documented`);
      assert.ok(operation.tags?.length && operation.summary, `${method} ${path} has tags and a summary`);
      assert.deepEqual(Object.keys(operation.responses).sort(), statuses, `${method} ${path} statuses`);
      assert.equal(Boolean(operation.security?.length), secured, `${method} ${path} security`);
    }
  });
});

/**
 * The permission matrix: every route of every service × every kind of caller → the status the
 * one table (route-permissions.ts) says. Auth runs with real accounts (owner, admin, members with
 * each permission, a member without, a pending member, a read-only API key); catalog with tokens of
 * the same shapes, the pending member's announced through `auth.membership.changed.v1`. Requests carry
 * an empty body and a fresh id: an allowed caller gets past authorization (400/404/2xx), a refused
 * one gets exactly 401 or 403, before any validation.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { newId, Subjects, type MembershipChanged } from '@invoice/contracts';
import { startServiceHarness, type ServiceHarness } from '@invoice/platform-testing';
import { signAccessToken } from '../../services/auth/src/crypto/access-tokens.ts';
import { service as catalogService } from '../../services/catalog/src/service.ts';
import { service as documentService } from '../../services/document/src/service.ts';
import { service as invoicingService } from '../../services/invoicing/src/service.ts';
import { service as notificationService } from '../../services/notification/src/service.ts';
import { addMember, callAs, logInWith, verifiedAccount } from '../../services/auth/test/support/accounts.ts';
import {
  startHarness as startAuth,
  type Harness as AuthHarness,
} from '../../services/auth/test/support/harness.ts';
import {
  CALLERS,
  concreteUrl,
  expectedOutcome,
  ROUTE_PERMISSIONS,
  type Caller,
  type Expected,
  type RouteRule,
} from './route-permissions.ts';

const METHODS = ['get', 'post', 'patch', 'put', 'delete'];

/** Every documented operation of an app, as `METHOD path`. */
async function documented(app: { inject: ServiceHarness<never, never>['app']['inject'] }): Promise<string[]> {
  const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((method) => METHODS.includes(method))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );
}

function assertCovers(table: readonly RouteRule[], operations: string[]): void {
  const listed = table.map(([method, path]) => `${method} ${path}`).sort();
  assert.deepEqual(listed, [...new Set(operations)].sort(), 'the table lists exactly the documented routes');
}

function check(status: number, expected: Expected, label: string, body: string): void {
  if (expected === 'allowed') assert.ok(status !== 401 && status !== 403, `${label}: got ${status} ${body}`);
  else assert.equal(status, expected, `${label}: ${body}`);
}

type Inject = (
  method: string,
  url: string,
  token: string | undefined,
) => Promise<{ status: number; body: string }>;

async function runMatrix(table: readonly RouteRule[], tokens: Record<Caller, string>, inject: Inject) {
  let checked = 0;
  for (const [method, path, rule] of table) {
    if (rule === 'public') continue;
    for (const caller of CALLERS) {
      const response = await inject(method, concreteUrl(path, randomUUID()), tokens[caller]);
      check(
        response.status,
        expectedOutcome(caller, method, rule),
        `${caller} ${method} ${path}`,
        response.body,
      );
      checked += 1;
    }
  }
  return checked;
}

/** A GET route any member may call (the pending member's status shows there first as 401). */
function probeUrlOf(table: readonly RouteRule[]): string {
  const route = table.find(([method, , rule]) => method === 'GET' && rule === 'member');
  if (!route) throw new Error('the table has no GET route for members');
  return concreteUrl(route[1], randomUUID());
}

/** Tokens of every caller kind for one organization; the pending member's status is published. */
async function tokensFor(
  harness: ServiceHarness<never, never>,
  probeUrl: string,
): Promise<Record<Caller, string>> {
  const orgId = newId();
  const as = (
    role: string,
    permissions: string[] = [],
    extra: { readOnly?: boolean; userId?: string } = {},
  ) => harness.token(orgId, { role, permissions, membershipVersion: 1, ...extra });
  const pendingUser = newId();
  const tokens: Record<Caller, string> = {
    owner: await as('owner'),
    admin: await as('admin'),
    'member:all_invoices_access': await as('member', ['all_invoices_access']),
    'member:category_management': await as('member', ['category_management']),
    'member:products_management': await as('member', ['products_management']),
    'member:admin': await as('member', ['admin']),
    member: await as('member'),
    pending: await as('member', [], { userId: pendingUser }),
    'api-key:read-only': await as('member', [], { readOnly: true }),
  };
  const data: MembershipChanged = {
    organizationId: orgId,
    userId: pendingUser,
    version: 2,
    role: 'member',
    permissions: [],
    status: 'pending',
    reason: 'invitation-accepted',
  };
  await harness.publish({
    type: Subjects.MembershipChanged,
    source: 'auth',
    orgId,
    subject: pendingUser,
    data,
  });
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const probe = await harness.call('GET', probeUrl, { token: tokens.pending });
    if (probe.status === 401) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return tokens;
}

describe('permission matrix', { timeout: 300_000 }, () => {
  describe('auth', () => {
    let harness: AuthHarness;
    before(async () => {
      harness = await startAuth();
    });
    after(async () => {
      await harness?.close();
    });

    it('lists every auth route in the table', async () => {
      assertCovers(ROUTE_PERMISSIONS.auth, await documented(harness.app));
    });

    it('answers every caller on every route as the table says', async () => {
      const owner = await verifiedAccount(harness);
      const memberToken = async (options: Parameters<typeof addMember>[2]) => {
        const member = await addMember(harness, owner, options);
        const login = await logInWith(harness, member.email, member.password);
        assert.equal(login.statusCode, 200, login.body);
        return login.json<{ accessToken: string }>().accessToken;
      };
      const pending = await addMember(harness, owner, { approve: false });
      const pendingToken = await signAccessToken(
        await harness.deps.keys.active(),
        {
          userId: pending.userId,
          orgId: owner.created.organizationId,
          role: 'member',
          permissions: [],
          membershipVersion: 1,
        },
        { issuer: harness.config.JWT_ISSUER, audience: harness.config.JWT_AUDIENCE, ttlSeconds: 600 },
      );
      const key = await callAs(harness, owner.tokens, 'POST', '/v1/api-keys', {
        name: 'reader',
        readOnly: true,
      });
      const exchanged = await harness.app.inject({
        method: 'POST',
        url: '/v1/auth/api-key-token',
        payload: { apiKey: key.json().key },
      });
      const tokens: Record<Caller, string> = {
        owner: owner.tokens.accessToken,
        admin: await memberToken({ role: 'admin' }),
        'member:all_invoices_access': await memberToken({ permissions: ['all_invoices_access'] }),
        'member:category_management': await memberToken({ permissions: ['category_management'] }),
        'member:products_management': await memberToken({ permissions: ['products_management'] }),
        'member:admin': await memberToken({ permissions: ['admin'] }),
        member: await memberToken({}),
        pending: pendingToken,
        'api-key:read-only': exchanged.json<{ accessToken: string }>().accessToken,
      };
      const checked = await runMatrix(ROUTE_PERMISSIONS.auth, tokens, async (method, url, token) => {
        const response = await harness.app.inject({
          method: method as 'GET',
          url,
          headers: token ? { authorization: `Bearer ${token}` } : {},
          ...(method === 'POST' || method === 'PATCH' ? { payload: {} } : {}),
        });
        return { status: response.statusCode, body: response.body };
      });
      assert.ok(checked >= 150, `${checked} combinations checked`);
    });
  });

  // The services that trust the token as it is: tokens of every shape, and a pending member made
  // known the way production does it (`auth.membership.changed.v1`).
  for (const [name, service, options] of [
    ['catalog', catalogService, {}],
    ['invoicing', invoicingService, {}],
    ['document', documentService, { s3: true }],
    ['notification', notificationService, {}],
  ] as const) {
    describe(name, () => {
      let harness: ServiceHarness<never, never>;
      before(async () => {
        harness = (await startServiceHarness(service as never, options)) as never;
      });
      after(async () => {
        await harness?.close();
      });

      it(`lists every ${name} route in the table`, async () => {
        assertCovers(ROUTE_PERMISSIONS[name], await documented(harness.app));
      });

      it('answers every caller on every route as the table says', async () => {
        const table = ROUTE_PERMISSIONS[name];
        const checked = await runMatrix(
          table,
          await tokensFor(harness, probeUrlOf(table)),
          async (method, url, token) => {
            const response = await harness.call(method as 'GET', url, {
              ...(token ? { token } : {}),
              ...(method === 'POST' || method === 'PATCH' || method === 'PUT' ? { body: {} } : {}),
            });
            return { status: response.status, body: JSON.stringify(response.body) };
          },
        );
        assert.equal(checked, table.length * CALLERS.length);
      });
    });
  }
});

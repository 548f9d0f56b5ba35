import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newId, Subjects, type MembershipChanged } from '@invoice/contracts';
import { productBody, startHarness, type Harness } from '../support/harness.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

test('a token issued before an announced membership change is refused on the next request (401)', async () => {
  const orgId = newId();
  const userId = newId();
  const old = await h.token(orgId, { userId, role: 'admin', membershipVersion: 1 });
  assert.equal((await h.call('GET', '/v1/products', { token: old })).status, 200);

  const data: MembershipChanged = {
    organizationId: orgId,
    userId,
    version: 2,
    role: 'member',
    permissions: [],
    status: 'active',
    reason: 'role',
  };
  await h.publish({ type: Subjects.MembershipChanged, source: 'auth', orgId, subject: userId, data });

  let status = 200;
  for (let attempt = 0; attempt < 100 && status === 200; attempt += 1) {
    status = (await h.call('GET', '/v1/products', { token: old })).status;
    if (status === 200) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.equal(status, 401);
  const current = await h.token(orgId, { userId, role: 'member', permissions: [], membershipVersion: 2 });
  assert.equal((await h.call('GET', '/v1/products', { token: current })).status, 200);
  const denied = await h.call('POST', '/v1/products', { token: current, body: productBody() });
  assert.equal(denied.status, 403);
  // Another member of the same organization is not affected.
  const colleague = await h.token(orgId, { role: 'admin', membershipVersion: 1 });
  assert.equal((await h.call('GET', '/v1/products', { token: colleague })).status, 200);
});

test('a read-only API key token may read but never write, whatever its permissions (403)', async () => {
  const orgId = newId();
  const key = await h.token(orgId, { role: 'member', permissions: ['products_management'], readOnly: true });
  assert.equal((await h.call('GET', '/v1/products', { token: key })).status, 200);
  const write = await h.call('POST', '/v1/products', { token: key, body: productBody() });
  assert.equal(write.status, 403);
  assert.equal(write.body.code, 'FORBIDDEN');
});

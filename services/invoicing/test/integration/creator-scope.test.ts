/**
 * `all_invoices_access`: a member without it sees and acts only on the documents they created
 * (another member's invoice is 404, and lists leave it out); with it (or as owner/admin) every
 * document of the organization.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Invoice } from '@invoice/contracts';
import { line, seedTenant } from '../support/factories.ts';
import { startHarness, type Harness } from '../support/harness.ts';

describe('documents a member may see: their own, or all with all_invoices_access', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  it('scopes gets, lists and actions by creator unless the caller has all_invoices_access', async () => {
    const { orgId, client } = await seedTenant(h);
    const auth = async (role: string, permissions: string[] = [], userId = randomUUID()) => ({
      authorization: `Bearer ${await h.token(orgId, { role, permissions, userId })}`,
    });
    const alice = await auth('member');
    const bob = await auth('member');
    const auditor = await auth('member', ['all_invoices_access']);
    const owner = await auth('owner');

    const create = async (headers: Record<string, string>) => {
      const response = await h.app.inject({
        method: 'POST',
        url: '/v1/invoices',
        headers,
        payload: { clientId: client.id, issueDate: '2026-06-15', lines: [line()] },
      });
      assert.equal(response.statusCode, 201, response.body);
      return response.json<Invoice>();
    };
    const mine = await create(alice);
    const theirs = await create(bob);

    const get = (headers: Record<string, string>, id: string) =>
      h.app.inject({ method: 'GET', url: `/v1/invoices/${id}`, headers });
    assert.equal((await get(alice, mine.id)).statusCode, 200);
    assert.equal((await get(alice, theirs.id)).statusCode, 404);
    assert.equal((await get(auditor, theirs.id)).statusCode, 200);
    assert.equal((await get(owner, theirs.id)).statusCode, 200);

    const list = async (headers: Record<string, string>) =>
      (await h.app.inject({ method: 'GET', url: '/v1/invoices', headers }))
        .json<{ items: { id: string }[] }>()
        .items.map((item) => item.id);
    assert.deepEqual(await list(alice), [mine.id]);
    assert.deepEqual((await list(auditor)).sort(), [mine.id, theirs.id].sort());

    // Actions on another member's invoice are 404 too, and change nothing.
    const issue = await h.app.inject({
      method: 'POST',
      url: `/v1/invoices/${theirs.id}/issue`,
      headers: alice,
    });
    assert.equal(issue.statusCode, 404);
    const edit = await h.app.inject({
      method: 'PATCH',
      url: `/v1/invoices/${theirs.id}`,
      headers: { ...alice, 'if-match': `"${theirs.version}"` },
      payload: { notes: 'mine now' },
    });
    assert.equal(edit.statusCode, 404);
    const remove = await h.app.inject({ method: 'DELETE', url: `/v1/invoices/${theirs.id}`, headers: alice });
    assert.equal(remove.statusCode, 404);
    assert.equal((await get(bob, theirs.id)).json<Invoice>().status, 'draft');
    const issued = await h.app.inject({
      method: 'POST',
      url: `/v1/invoices/${mine.id}/issue`,
      headers: alice,
    });
    assert.equal(issued.statusCode, 200, issued.body);

    // Payments and credit notes follow their invoice.
    const bobIssued = await h.app.inject({
      method: 'POST',
      url: `/v1/invoices/${theirs.id}/issue`,
      headers: bob,
    });
    assert.equal(bobIssued.statusCode, 200, bobIssued.body);
    const payment = { amount: '1.00', date: '2026-06-20', method: 'bank_transfer' };
    const pay = (headers: Record<string, string>) =>
      h.app.inject({ method: 'POST', url: `/v1/invoices/${theirs.id}/payments`, headers, payload: payment });
    assert.equal((await pay(alice)).statusCode, 404);
    assert.equal((await pay(bob)).statusCode, 201);
    const credit = await h.app.inject({
      method: 'POST',
      url: `/v1/invoices/${theirs.id}/credit-notes`,
      headers: bob,
      payload: {},
    });
    assert.equal(credit.statusCode, 201, credit.body);
    const creditNoteId = credit.json<{ id: string }>().id;
    const note = (headers: Record<string, string>) =>
      h.app.inject({ method: 'GET', url: `/v1/credit-notes/${creditNoteId}`, headers });
    assert.equal((await note(alice)).statusCode, 404);
    assert.equal((await note(auditor)).statusCode, 200);
  });
});

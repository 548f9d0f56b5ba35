import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import { Subjects, validateEvent, type Invoice, type InvoiceIssued, type Problem } from '@invoice/contracts';
import { preconditionSuite } from '@invoice/platform-testing';
import { startHarness, waitForEvents, type Harness } from '../support/harness.ts';
import {
  clientSnapshot,
  line,
  organizationSnapshot,
  publishClient,
  publishOrganization,
  seedTenant,
} from '../support/factories.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

async function draft(
  auth: Record<string, string>,
  clientId: string,
  overrides: Record<string, unknown> = {},
): Promise<Invoice> {
  const response = await h.app.inject({
    method: 'POST',
    url: '/v1/invoices',
    headers: auth,
    payload: { clientId, issueDate: '2026-06-15', lines: [line()], ...overrides },
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json<Invoice>();
}

function issue(auth: Record<string, string>, id: string) {
  return h.app.inject({ method: 'POST', url: `/v1/invoices/${id}/issue`, headers: auth });
}

describe('issuing invoices', () => {
  it('assigns INV-YYYY-000001 then 000002 and freezes seller and buyer', async () => {
    const { client, auth } = await seedTenant(h);
    const first = await issue(auth, (await draft(auth, client.id)).id);
    assert.equal(first.statusCode, 200, first.body);
    const invoice = first.json<Invoice>();
    assert.equal(invoice.number, 'INV-2026-000001');
    assert.equal(invoice.status, 'issued');
    assert.equal(invoice.seller?.name, 'Seller AG');
    assert.equal(invoice.buyer?.name, client.name);
    assert.equal(invoice.buyer?.email, client.email);
    assert.ok(invoice.issuedAt);
    assert.equal(first.headers.etag, '"2"');

    const second = await issue(auth, (await draft(auth, client.id)).id);
    assert.equal(second.json<Invoice>().number, 'INV-2026-000002');
  });

  it('numbers each year and each organization separately', async () => {
    const one = await seedTenant(h);
    const other = await seedTenant(h);
    const a = await issue(one.auth, (await draft(one.auth, one.client.id, { issueDate: '2027-01-02' })).id);
    const b = await issue(
      other.auth,
      (await draft(other.auth, other.client.id, { issueDate: '2027-01-02' })).id,
    );
    assert.equal(a.json<Invoice>().number, 'INV-2027-000001');
    assert.equal(b.json<Invoice>().number, 'INV-2027-000001');
  });

  it('gives 20 concurrent issues of 20 drafts 20 distinct, gapless numbers', async () => {
    const { client, auth } = await seedTenant(h);
    const drafts = await Promise.all(
      Array.from({ length: 20 }, () => draft(auth, client.id, { issueDate: '2028-03-01' })),
    );
    const responses = await Promise.all(drafts.map((d) => issue(auth, d.id)));
    for (const response of responses) assert.equal(response.statusCode, 200, response.body);
    const numbers = responses.map((r) => r.json<Invoice>().number).sort();
    const expected = Array.from({ length: 20 }, (_, i) => `INV-2028-${String(i + 1).padStart(6, '0')}`);
    assert.deepEqual(numbers, expected);
  });

  it('follows the latest series template and keeps every digit past 999999', async () => {
    const { orgId, client, auth } = await seedTenant(h);
    await h.deps.orm.em.getConnection().execute(
      `insert into "invoicing"."number_series" (id, org_id, document_type, period, prefix, next_number)
         values (?, ?, 'invoice', '', 'R-', 999999)`,
      [randomUUID(), orgId],
    );
    const numbers = [];
    for (let i = 0; i < 2; i++) {
      const response = await issue(auth, (await draft(auth, client.id)).id);
      assert.equal(response.statusCode, 200, response.body);
      numbers.push(response.json<Invoice>().number);
    }
    assert.deepEqual(numbers, ['R-999999', 'R-1000000']);
  });

  it('refuses to issue an invoice twice, even when both requests race', async () => {
    const { client, auth } = await seedTenant(h);
    const { id } = await draft(auth, client.id);
    const [a, b] = await Promise.all([issue(auth, id), issue(auth, id)]);
    assert.deepEqual([a.statusCode, b.statusCode].sort(), [200, 409]);
    const again = await issue(auth, id);
    assert.equal(again.statusCode, 409);
    assert.equal(again.json<Problem>().code, 'INVOICE_NOT_DRAFT');
    const list = await h.app.inject({ method: 'GET', url: '/v1/invoices?status=issued', headers: auth });
    assert.equal(list.json<{ items: unknown[] }>().items.length, 1);
  });

  it('replays a retried issue with the same Idempotency-Key instead of answering 409', async () => {
    const { client, auth } = await seedTenant(h);
    const { id } = await draft(auth, client.id);
    const headers = { ...auth, 'idempotency-key': randomUUID() };
    const first = await h.app.inject({ method: 'POST', url: `/v1/invoices/${id}/issue`, headers });
    const retry = await h.app.inject({ method: 'POST', url: `/v1/invoices/${id}/issue`, headers });
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(retry.statusCode, 200, retry.body);
    assert.equal(retry.headers['idempotent-replayed'], 'true');
    assert.equal(retry.headers.etag, first.headers.etag);
    assert.deepEqual(retry.json(), first.json());
    // The retry consumed no number: the next invoice gets 000002.
    const next = await issue(auth, (await draft(auth, client.id)).id);
    assert.equal(next.json<Invoice>().number, 'INV-2026-000002');
  });

  it('freezes an issued invoice: no edit, no delete', async () => {
    const { client, auth } = await seedTenant(h);
    const { id } = await draft(auth, client.id);
    await issue(auth, id);
    const patch = await h.app.inject({
      method: 'PATCH',
      url: `/v1/invoices/${id}`,
      headers: auth,
      payload: { notes: 'late' },
    });
    assert.equal(patch.statusCode, 409);
    assert.equal(patch.json<Problem>().code, 'INVOICE_NOT_DRAFT');
    const del = await h.app.inject({ method: 'DELETE', url: `/v1/invoices/${id}`, headers: auth });
    assert.equal(del.statusCode, 409);
  });

  it('publishes invoice.issued with a snapshot that validates and carries the API’s totals', async () => {
    const { client, auth } = await seedTenant(h);
    const created = await draft(auth, client.id, {
      lines: [line(), line({ vatRate: '7', quantity: '2.5', unitPrice: '3.333' })],
    });
    const issued = (await issue(auth, created.id)).json<Invoice>();
    const [event, ...more] = await waitForEvents<InvoiceIssued>(h, Subjects.InvoiceIssued, issued.id);
    assert.ok(event);
    assert.equal(more.length, 0);
    assert.deepEqual(validateEvent(Subjects.InvoiceIssued, event), []);
    const snapshot = event.data.invoice;
    assert.equal(snapshot.number, issued.number);
    assert.deepEqual(snapshot.totals, issued.totals);
    assert.deepEqual(snapshot.vatBreakdown, issued.vatBreakdown);
    assert.deepEqual(
      snapshot.lines.map((l) => l.net),
      issued.lines.map((l) => l.net),
    );
    assert.equal(snapshot.version, 1);
    assert.equal(snapshot.seller.name, 'Seller AG');
    assert.equal(snapshot.buyer.name, client.name);
  });

  it('will not issue without lines', async () => {
    const { client, auth } = await seedTenant(h);
    const { id } = await draft(auth, client.id, { lines: [] });
    const response = await issue(auth, id);
    assert.equal(response.statusCode, 422);
    assert.equal(response.json<Problem>().code, 'EMPTY_LINES');
  });

  it('will not issue while the seller has no name', async () => {
    const { orgId, client, auth } = await seedTenant(h);
    await publishOrganization(h, organizationSnapshot(orgId, { name: ' ', version: 2 }));
    const { id } = await draft(auth, client.id);
    const response = await issue(auth, id);
    assert.equal(response.statusCode, 422);
    assert.equal(response.json<Problem>().code, 'SELLER_INCOMPLETE');
    const read = await h.app.inject({ method: 'GET', url: `/v1/invoices/${id}`, headers: auth });
    assert.equal(read.json<Invoice>().status, 'draft');
  });

  it('stores, reads back and issues an invoice of 3,000 lines', async () => {
    const { client, auth } = await seedTenant(h);
    const lines = Array.from({ length: 3000 }, (_, i) =>
      line({ description: `Item ${i + 1}`, quantity: '1', unitPrice: '1.01' }),
    );
    const created = await draft(auth, client.id, { lines });
    assert.equal(created.totals.net, '3030.00');
    const read = await h.app.inject({ method: 'GET', url: `/v1/invoices/${created.id}`, headers: auth });
    assert.equal(read.json<Invoice>().lines.length, 3000);
    assert.equal(read.json<Invoice>().lines[2999]?.description, 'Item 3000');
    const issued = await issue(auth, created.id);
    assert.equal(issued.statusCode, 200, issued.body.slice(0, 300));
    const [event] = await waitForEvents<InvoiceIssued>(h, Subjects.InvoiceIssued, created.id);
    assert.equal(event?.data.invoice.lines.length, 3000);
  });

  it('refuses to issue an invoice too large for one event, and keeps it a draft', async () => {
    const { client, auth } = await seedTenant(h);
    const lines = Array.from({ length: 600 }, () => line({ description: 'x'.repeat(2000) }));
    const created = await draft(auth, client.id, { lines });
    const response = await issue(auth, created.id);
    assert.equal(response.statusCode, 422);
    assert.equal(response.json<Problem>().code, 'DOCUMENT_TOO_LARGE');
    const read = await h.app.inject({ method: 'GET', url: `/v1/invoices/${created.id}`, headers: auth });
    assert.equal(read.json<Invoice>().status, 'draft');
  });

  it('accepts an empty body sent as application/json', async () => {
    const { client, auth } = await seedTenant(h);
    const { id } = await draft(auth, client.id);
    const response = await h.app.inject({
      method: 'POST',
      url: `/v1/invoices/${id}/issue`,
      headers: { ...auth, 'content-type': 'application/json' },
    });
    assert.equal(response.statusCode, 200, response.body);
  });

  it('answers 404 for an unknown id', async () => {
    const { auth } = await seedTenant(h);
    const response = await issue(auth, randomUUID());
    assert.equal(response.statusCode, 404);
  });
});

describe('If-Match on POST /v1/invoices/{id}/issue', () => {
  let tenant: Awaited<ReturnType<typeof seedTenant>>;
  before(async () => {
    tenant = await seedTenant(h);
  });

  preconditionSuite(async () => {
    const created = await draft(tenant.auth, tenant.client.id);
    return {
      etag: `"${created.version}"`,
      async write(ifMatch) {
        const response = await h.app.inject({
          method: 'POST',
          url: `/v1/invoices/${created.id}/issue`,
          headers: { ...tenant.auth, ...(ifMatch === undefined ? {} : { 'if-match': ifMatch }) },
        });
        return {
          status: response.statusCode,
          etag: response.headers.etag as string | undefined,
          body: response.json(),
        };
      },
    };
  });
});

describe('archived clients', () => {
  it('refuses a new draft for an archived client and moving a draft to one, naming /clientId', async () => {
    const { orgId, client, auth } = await seedTenant(h);
    const archived = await publishClient(h, orgId, clientSnapshot({ name: 'Gone Ltd', archived: true }));

    const created = await h.app.inject({
      method: 'POST',
      url: '/v1/invoices',
      headers: auth,
      payload: { clientId: archived.id, lines: [line()] },
    });
    assert.equal(created.statusCode, 422, created.body);
    const problem = created.json<Problem>();
    assert.equal(problem.code, 'CLIENT_ARCHIVED');
    assert.deepEqual(
      problem.errors?.map((error) => error.field),
      ['/clientId'],
    );

    const existing = await draft(auth, client.id);
    const moved = await h.app.inject({
      method: 'PATCH',
      url: `/v1/invoices/${existing.id}`,
      headers: auth,
      payload: { clientId: archived.id },
    });
    assert.equal(moved.statusCode, 422, moved.body);
    assert.equal(moved.json<Problem>().code, 'CLIENT_ARCHIVED');
    const unchanged = await h.app.inject({
      method: 'GET',
      url: `/v1/invoices/${existing.id}`,
      headers: auth,
    });
    assert.equal(unchanged.json<Invoice>().clientId, client.id, 'the refused change wrote nothing');
  });

  it('still issues a draft made before its client was archived', async () => {
    const { orgId, client, auth } = await seedTenant(h);
    const existing = await draft(auth, client.id);
    await publishClient(h, orgId, { ...client, archived: true, version: client.version + 1 });
    const issued = await issue(auth, existing.id);
    assert.equal(issued.statusCode, 200, issued.body);
    assert.equal(issued.json<Invoice>().buyer?.name, client.name);
  });
});

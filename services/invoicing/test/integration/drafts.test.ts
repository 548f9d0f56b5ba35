import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import type { Invoice, Problem } from '@invoice/contracts';
import { preconditionSuite, type ConditionalResource } from '@invoice/platform-testing';
import { startHarness, type Harness } from '../support/harness.ts';
import { line, productSnapshot, publishProduct, seedTenant } from '../support/factories.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

async function createDraft(auth: Record<string, string>, payload: Record<string, unknown>) {
  return h.app.inject({ method: 'POST', url: '/v1/invoices', headers: auth, payload });
}

describe('creating drafts', () => {
  it('computes line nets, totals and the VAT breakdown on the server', async () => {
    const { client, auth } = await seedTenant(h);
    const response = await createDraft(auth, {
      clientId: client.id,
      issueDate: '2026-03-01',
      lines: [line(), line({ quantity: '1', unitPrice: '0.01' })],
    });
    assert.equal(response.statusCode, 201, response.body);
    const invoice = response.json<Invoice>();
    assert.equal(invoice.status, 'draft');
    assert.equal(invoice.number, null);
    assert.equal(invoice.currency, 'EUR');
    assert.deepEqual(
      invoice.lines.map((l) => l.net),
      ['59.97', '0.01'],
    );
    assert.deepEqual(invoice.totals, {
      lineNet: '59.98',
      allowances: '0.00',
      charges: '0.00',
      net: '59.98',
      vat: '11.40',
      otherTax: '0.00',
      gross: '71.38',
      prepaid: '0.00',
      rounding: '0.00',
      due: '71.38',
    });
    // VAT is computed once on the group (59.98 × 19 % = 11.3962 → 11.40), not per line.
    assert.deepEqual(invoice.vatBreakdown, [
      { category: 'S', rate: '19.00', taxable: '59.98', tax: '11.40' },
    ]);
    assert.equal(response.headers.etag, '"1"');
    assert.equal(invoice.dueDate, '2026-03-15');

    const read = await h.app.inject({ method: 'GET', url: `/v1/invoices/${invoice.id}`, headers: auth });
    assert.equal(read.statusCode, 200);
    assert.equal(read.headers.etag, '"1"');
    assert.deepEqual(read.json(), invoice);
  });

  it('prices tax-inclusive entry: the amount due equals the entered gross total', async () => {
    const { client, auth } = await seedTenant(h);
    const response = await createDraft(auth, {
      clientId: client.id,
      priceMode: 'gross',
      lines: [line({ quantity: '1', unitPrice: '490' })],
    });
    assert.equal(response.statusCode, 201, response.body);
    const invoice = response.json<Invoice>();
    assert.equal(invoice.priceMode, 'gross');
    assert.deepEqual(
      [invoice.totals.net, invoice.totals.vat, invoice.totals.rounding, invoice.totals.due],
      ['411.76', '78.23', '0.01', '490.00'],
    );
  });

  it('rejects totals sent by the client, naming the field', async () => {
    const { client, auth } = await seedTenant(h);
    const response = await createDraft(auth, {
      clientId: client.id,
      lines: [line()],
      totals: { gross: '1.00' },
    });
    assert.equal(response.statusCode, 400);
    const problem = response.json<Problem>();
    assert.equal(problem.code, 'VALIDATION_FAILED');
    assert.ok(
      problem.errors?.some((e) => e.field === '/totals'),
      JSON.stringify(problem.errors),
    );
  });

  it('names the failing field of a malformed line', async () => {
    const { client, auth } = await seedTenant(h);
    const response = await createDraft(auth, { clientId: client.id, lines: [line({ quantity: 'three' })] });
    assert.equal(response.statusCode, 400);
    assert.deepEqual(
      response.json<Problem>().errors?.map((e) => e.field),
      ['/lines/0/quantity'],
    );
  });

  it('passes the engine’s tax rule errors through with their field', async () => {
    const { client, auth } = await seedTenant(h);
    const response = await createDraft(auth, {
      clientId: client.id,
      lines: [line(), line({ vatRate: undefined })],
    });
    assert.equal(response.statusCode, 422);
    const problem = response.json<Problem>();
    assert.equal(problem.code, 'VAT_RATE_REQUIRED');
    assert.equal(problem.errors?.[0]?.field, '/lines/1/vatRate');
  });

  it('requires description, unit and price on a line without a product', async () => {
    const { client, auth } = await seedTenant(h);
    const response = await createDraft(auth, {
      clientId: client.id,
      lines: [{ quantity: '1', vatCategory: 'S', vatRate: '19' }],
    });
    assert.equal(response.statusCode, 400);
    assert.deepEqual(
      response.json<Problem>().errors?.map((e) => e.field),
      ['/lines/0/description', '/lines/0/unitCode', '/lines/0/unitPrice'],
    );
  });

  it('copies description, unit, price and VAT rate from the product', async () => {
    const { orgId, client, auth } = await seedTenant(h);
    const product = await publishProduct(
      h,
      orgId,
      productSnapshot({ name: 'Audit', unitPrice: '250.50', vatRate: '7' }),
    );
    const response = await createDraft(auth, {
      clientId: client.id,
      lines: [{ productId: product.id, quantity: '2' }],
    });
    assert.equal(response.statusCode, 201, response.body);
    const invoice = response.json<Invoice>();
    assert.deepEqual(invoice.lines[0], {
      position: 1,
      productId: product.id,
      description: 'Audit',
      quantity: '2',
      unitCode: 'HUR',
      unitPrice: '250.5',
      vatCategory: 'S',
      vatRate: '7',
      net: '501.00',
    });
    assert.equal(invoice.totals.vat, '35.07');
  });

  it("copies the product's invoice-visible attributes onto the line unless the line gives its own", async () => {
    const { orgId, client, auth } = await seedTenant(h);
    const product = await publishProduct(
      h,
      orgId,
      productSnapshot({
        name: 'Wall paint',
        invoiceAttributes: [
          { key: 'color', label: 'Colour', value: 'white' },
          { key: 'litres', label: 'Litres', value: '2.5' },
        ],
      }),
    );
    const response = await createDraft(auth, {
      clientId: client.id,
      lines: [
        { productId: product.id, quantity: '1' },
        { productId: product.id, quantity: '1', attributes: [{ name: 'Colour', value: 'sea green' }] },
        { productId: product.id, quantity: '1', attributes: [] },
      ],
    });
    assert.equal(response.statusCode, 201, response.body);
    const created = response.json<Invoice>();
    const read = await h.app.inject({ method: 'GET', url: `/v1/invoices/${created.id}`, headers: auth });
    const lines = read.json<Invoice>().lines;
    assert.deepEqual(lines[0]?.attributes, [
      { name: 'Colour', value: 'white' },
      { name: 'Litres', value: '2.5' },
    ]);
    assert.deepEqual(lines[1]?.attributes, [{ name: 'Colour', value: 'sea green' }]);
    assert.equal(lines[2]?.attributes, undefined, 'an empty list prints nothing');
  });

  it('refuses an item attribute without a name, naming the field', async () => {
    const { client, auth } = await seedTenant(h);
    const response = await createDraft(auth, {
      clientId: client.id,
      lines: [{ ...line(), attributes: [{ name: '', value: 'white' }] }],
    });
    assert.equal(response.statusCode, 400, response.body);
    assert.ok(
      response.json<Problem>().errors?.some((e) => e.field.startsWith('/lines/0/attributes/0')),
      response.body,
    );
  });

  it('rejects a product priced in another currency than the invoice', async () => {
    const { orgId, client, auth } = await seedTenant(h);
    const product = await publishProduct(h, orgId, productSnapshot({ currency: 'USD' }));
    const response = await createDraft(auth, {
      clientId: client.id,
      lines: [line(), { productId: product.id, quantity: '1' }],
    });
    assert.equal(response.statusCode, 422);
    const problem = response.json<Problem>();
    assert.equal(problem.code, 'CURRENCY_MISMATCH');
    assert.equal(problem.errors?.[0]?.field, '/lines/1/productId');
  });

  it('takes the currency from the organization when the client has none, and the terms from the client', async () => {
    const { client, auth } = await seedTenant(h, { defaultCurrency: undefined, paymentTermsDays: 30 });
    const response = await createDraft(auth, {
      clientId: client.id,
      issueDate: '2026-01-31',
      lines: [line()],
    });
    assert.equal(response.statusCode, 201, response.body);
    const invoice = response.json<Invoice>();
    assert.equal(invoice.currency, 'EUR');
    assert.equal(invoice.dueDate, '2026-03-02');
    assert.equal(invoice.paymentTermsDays, 30);
  });

  it('rejects a due date before the issue date', async () => {
    const { client, auth } = await seedTenant(h);
    const response = await createDraft(auth, {
      clientId: client.id,
      issueDate: '2026-05-10',
      dueDate: '2026-05-09',
      lines: [line()],
    });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json<Problem>().errors?.[0]?.field, '/dueDate');
  });

  it('rejects an unknown payment method code', async () => {
    const { client, auth } = await seedTenant(h);
    const response = await createDraft(auth, {
      clientId: client.id,
      paymentMethod: 'Bank Transfer',
      lines: [line()],
    });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json<Problem>().errors?.[0]?.field, '/paymentMethod');
  });

  it('replays the first response for a repeated Idempotency-Key and refuses the key for another body', async () => {
    const { client, auth } = await seedTenant(h);
    const headers = { ...auth, 'idempotency-key': randomUUID() };
    const payload = { clientId: client.id, lines: [line()] };
    const first = await h.app.inject({ method: 'POST', url: '/v1/invoices', headers, payload });
    const second = await h.app.inject({ method: 'POST', url: '/v1/invoices', headers, payload });
    assert.equal(first.statusCode, 201);
    assert.equal(second.statusCode, 201);
    assert.equal(second.json<Invoice>().id, first.json<Invoice>().id);
    assert.equal(second.headers['idempotent-replayed'], 'true');
    const other = await h.app.inject({
      method: 'POST',
      url: '/v1/invoices',
      headers,
      payload: { ...payload, notes: 'x' },
    });
    assert.equal(other.statusCode, 422);
    assert.equal(other.json<Problem>().code, 'IDEMPOTENCY_KEY_REUSED');
  });
});

describe('editing and deleting drafts', () => {
  it('recomputes the totals when the lines change and bumps the ETag', async () => {
    const { client, auth } = await seedTenant(h);
    const created = (await createDraft(auth, { clientId: client.id, lines: [line()] })).json<Invoice>();
    const response = await h.app.inject({
      method: 'PATCH',
      url: `/v1/invoices/${created.id}`,
      headers: { ...auth, 'if-match': '"1"' },
      payload: { lines: [line({ quantity: '10', unitPrice: '10' })], notes: 'Thanks!' },
    });
    assert.equal(response.statusCode, 200, response.body);
    const invoice = response.json<Invoice>();
    assert.equal(response.headers.etag, '"2"');
    assert.equal(invoice.totals.net, '100.00');
    assert.equal(invoice.totals.vat, '19.00');
    assert.equal(invoice.totals.gross, '119.00');
    assert.equal(invoice.notes, 'Thanks!');
    const read = await h.app.inject({ method: 'GET', url: `/v1/invoices/${created.id}`, headers: auth });
    assert.deepEqual(read.json(), invoice);
  });

  it('applies a document-level allowance and a prepaid amount', async () => {
    const { client, auth } = await seedTenant(h);
    const created = (
      await createDraft(auth, { clientId: client.id, lines: [line({ quantity: '1', unitPrice: '200' })] })
    ).json<Invoice>();
    const response = await h.app.inject({
      method: 'PATCH',
      url: `/v1/invoices/${created.id}`,
      headers: auth,
      payload: {
        allowances: [{ percent: '10', vatCategory: 'S', vatRate: '19', reason: 'Loyalty' }],
        prepaid: '50',
      },
    });
    assert.equal(response.statusCode, 200, response.body);
    const { totals } = response.json<Invoice>();
    assert.deepEqual(
      [totals.allowances, totals.net, totals.vat, totals.gross, totals.prepaid, totals.due],
      ['20.00', '180.00', '34.20', '214.20', '50.00', '164.20'],
    );
  });

  it('moves the due date with the issue date when it came from payment terms', async () => {
    const { client, auth } = await seedTenant(h);
    const created = (
      await createDraft(auth, {
        clientId: client.id,
        issueDate: '2026-02-01',
        paymentTermsDays: 10,
        lines: [line()],
      })
    ).json<Invoice>();
    assert.equal(created.dueDate, '2026-02-11');
    const response = await h.app.inject({
      method: 'PATCH',
      url: `/v1/invoices/${created.id}`,
      headers: auth,
      payload: { issueDate: '2026-02-20' },
    });
    assert.equal(response.json<Invoice>().dueDate, '2026-03-02');
  });

  it('refuses an edit based on a stale ETag with 412', async () => {
    const { client, auth } = await seedTenant(h);
    const created = (await createDraft(auth, { clientId: client.id, lines: [line()] })).json<Invoice>();
    await h.app.inject({
      method: 'PATCH',
      url: `/v1/invoices/${created.id}`,
      headers: auth,
      payload: { notes: 'first' },
    });
    const stale = await h.app.inject({
      method: 'PATCH',
      url: `/v1/invoices/${created.id}`,
      headers: { ...auth, 'if-match': '"1"' },
      payload: { notes: 'second' },
    });
    assert.equal(stale.statusCode, 412);
    assert.equal(stale.json<Problem>().code, 'PRECONDITION_FAILED');
  });

  it('deletes a draft', async () => {
    const { client, auth } = await seedTenant(h);
    const created = (await createDraft(auth, { clientId: client.id, lines: [line()] })).json<Invoice>();
    const deleted = await h.app.inject({
      method: 'DELETE',
      url: `/v1/invoices/${created.id}`,
      headers: auth,
    });
    assert.equal(deleted.statusCode, 204);
    const read = await h.app.inject({ method: 'GET', url: `/v1/invoices/${created.id}`, headers: auth });
    assert.equal(read.statusCode, 404);
  });

  it('answers 404 for another organization’s invoice on every route', async () => {
    const owner = await seedTenant(h);
    const stranger = await seedTenant(h);
    const created = (
      await createDraft(owner.auth, { clientId: owner.client.id, lines: [line()] })
    ).json<Invoice>();
    const url = `/v1/invoices/${created.id}`;
    const attempts = [
      { method: 'GET' as const, url },
      { method: 'PATCH' as const, url, payload: { notes: 'mine now' } },
      { method: 'DELETE' as const, url },
      { method: 'POST' as const, url: `${url}/issue` },
      { method: 'POST' as const, url: `${url}/send`, payload: {} },
    ];
    for (const attempt of attempts) {
      const response = await h.app.inject({ ...attempt, headers: stranger.auth });
      assert.equal(response.statusCode, 404, `${attempt.method} ${attempt.url}: ${response.body}`);
    }
    const read = await h.app.inject({ method: 'GET', url, headers: owner.auth });
    assert.equal(read.json<Invoice>().notes, null);
  });

  it('requires a token', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/v1/invoices' });
    assert.equal(response.statusCode, 401);
  });
});

/** A fresh draft of `tenant` written by `method` with a given If-Match, for the platform's suite. */
async function conditionalDraft(
  tenant: Awaited<ReturnType<typeof seedTenant>>,
  method: 'PATCH' | 'DELETE',
): Promise<ConditionalResource> {
  const created = await createDraft(tenant.auth, { clientId: tenant.client.id, lines: [line()] });
  assert.equal(created.statusCode, 201, created.body);
  const url = `/v1/invoices/${created.json<Invoice>().id}`;
  return {
    etag: String(created.headers.etag),
    async write(ifMatch) {
      const response = await h.app.inject({
        method,
        url,
        headers: { ...tenant.auth, ...(ifMatch === undefined ? {} : { 'if-match': ifMatch }) },
        ...(method === 'PATCH' ? { payload: { notes: `changed at ${Date.now()}` } } : {}),
      });
      if (method === 'DELETE') {
        const read = await h.app.inject({ method: 'GET', url, headers: tenant.auth });
        assert.equal(read.statusCode, response.statusCode === 204 ? 404 : 200, 'deleted only when 204');
      }
      return {
        status: response.statusCode,
        etag: response.headers.etag as string | undefined,
        body: response.body ? response.json() : undefined,
      };
    },
  };
}

describe('If-Match on PATCH /v1/invoices/{id} (a draft)', () => {
  let tenant: Awaited<ReturnType<typeof seedTenant>>;
  before(async () => {
    tenant = await seedTenant(h);
  });
  preconditionSuite(() => conditionalDraft(tenant, 'PATCH'));
});

describe('If-Match on DELETE /v1/invoices/{id} (a draft)', () => {
  let tenant: Awaited<ReturnType<typeof seedTenant>>;
  before(async () => {
    tenant = await seedTenant(h);
  });
  preconditionSuite(() => conditionalDraft(tenant, 'DELETE'), { write: 'delete' });
});

describe('listing invoices', () => {
  it('pages newest first and filters by client and issue dates', async () => {
    const { orgId, client, auth } = await seedTenant(h);
    const ids: string[] = [];
    for (const day of ['01', '02', '03', '04', '05']) {
      const response = await createDraft(auth, {
        clientId: client.id,
        issueDate: `2026-04-${day}`,
        lines: [line()],
      });
      ids.push(response.json<Invoice>().id);
    }
    const first = await h.app.inject({ method: 'GET', url: '/v1/invoices?limit=2', headers: auth });
    const page1 = first.json<{ items: { id: string }[]; nextCursor: string }>();
    assert.deepEqual(
      page1.items.map((i) => i.id),
      [ids[4], ids[3]],
    );
    const second = await h.app.inject({
      method: 'GET',
      url: `/v1/invoices?limit=2&cursor=${page1.nextCursor}`,
      headers: auth,
    });
    assert.deepEqual(
      second.json<{ items: { id: string }[] }>().items.map((i) => i.id),
      [ids[2], ids[1]],
    );

    const filtered = await h.app.inject({
      method: 'GET',
      url: `/v1/invoices?clientId=${client.id}&issueDateFrom=2026-04-02&issueDateTo=2026-04-03&status=draft`,
      headers: auth,
    });
    const body = filtered.json<{ items: { id: string }[]; nextCursor: string | null }>();
    assert.deepEqual(
      body.items.map((i) => i.id),
      [ids[2], ids[1]],
    );
    assert.equal(body.nextCursor, null);
    assert.ok(orgId);
  });

  it('rejects a cursor it did not issue', async () => {
    const { auth } = await seedTenant(h);
    const response = await h.app.inject({ method: 'GET', url: '/v1/invoices?cursor=bm9wZQ', headers: auth });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json<Problem>().errors?.[0]?.field, '/cursor');
  });
});

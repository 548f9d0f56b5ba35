import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RpcSubjects, type Invoice, type InvoicePreviewReply, type NumberSeries } from '@invoice/contracts';
import { Bus } from '@invoice/platform-bus';
import { silentLogger } from '@invoice/platform-testing';
import { startHarness, type Harness } from '../support/harness.ts';
import { line, seedTenant } from '../support/factories.ts';

let h: Harness;
let documentBus: Bus;
before(async () => {
  h = await startHarness();
  // The one service allowed to ask for previews (contracts' BusIdentities), in the same namespace.
  documentBus = await Bus.connect({
    url: h.config.NATS_URL,
    namespace: h.namespace,
    name: 'document',
    logger: silentLogger(),
  });
});
after(async () => {
  await documentBus?.close();
  await h?.close();
});

type Reply = InvoicePreviewReply | { error: { code: string; message: string } };
const ask = (orgId: string, invoiceId: string) =>
  documentBus.request<Reply>(RpcSubjects.InvoicingInvoicePreview, { orgId, invoiceId });

describe('draft preview data (rpc.invoicing.invoice.preview)', () => {
  it('answers a draft as a DRAFT snapshot priced like an issue, without drawing a number', async () => {
    const { orgId, client, auth } = await seedTenant(h);
    const created = await h.app.inject({
      method: 'POST',
      url: '/v1/invoices',
      headers: auth,
      payload: {
        clientId: client.id,
        issueDate: '2026-06-15',
        lines: [line({ quantity: '2', unitPrice: '50' })],
      },
    });
    const draft = created.json<Invoice>();
    const reply = await ask(orgId, draft.id);
    assert.ok('invoice' in reply && reply.invoice, JSON.stringify(reply));
    assert.equal(reply.invoice.number, 'DRAFT');
    assert.equal(reply.invoice.status, 'draft');
    assert.equal(reply.invoice.totals.gross, '119.00');
    assert.equal(reply.invoice.seller.name, 'Seller AG');
    assert.equal(reply.invoice.buyer.name, client.name);
    const series = await h.app.inject({
      method: 'GET',
      url: '/v1/number-series/invoice?date=2026-06-15',
      headers: auth,
    });
    assert.equal(series.json<NumberSeries>().nextNumber, 'INV-2026-000001');
  });

  it("answers null for another organization's invoice and refuses an issued one", async () => {
    const one = await seedTenant(h);
    const other = await seedTenant(h);
    const created = await h.app.inject({
      method: 'POST',
      url: '/v1/invoices',
      headers: one.auth,
      payload: { clientId: one.client.id, lines: [line()] },
    });
    const { id } = created.json<Invoice>();
    assert.deepEqual(await ask(other.orgId, id), { invoice: null });
    await h.app.inject({ method: 'POST', url: `/v1/invoices/${id}/issue`, headers: one.auth });
    const issued = await ask(one.orgId, id);
    assert.ok('error' in issued);
    assert.equal(issued.error.code, 'INVOICE_NOT_DRAFT');
  });
});

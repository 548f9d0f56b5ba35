import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  createEnvelope,
  newId,
  Subjects,
  validateEvent,
  type Invoice,
  type InvoiceSendRequested,
  type Problem,
} from '@invoice/contracts';
import { waitFor } from '@invoice/platform-testing';
import { startHarness, waitForEvents, type Harness } from '../support/harness.ts';
import { line, seedTenant } from '../support/factories.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

async function issuedInvoice(auth: Record<string, string>, clientId: string): Promise<Invoice> {
  const created = await h.app.inject({
    method: 'POST',
    url: '/v1/invoices',
    headers: auth,
    payload: { clientId, issueDate: '2026-07-01', lines: [line()] },
  });
  const issued = await h.app.inject({
    method: 'POST',
    url: `/v1/invoices/${created.json<Invoice>().id}/issue`,
    headers: auth,
  });
  assert.equal(issued.statusCode, 200, issued.body);
  return issued.json<Invoice>();
}

function send(auth: Record<string, string>, id: string, payload?: Record<string, unknown>) {
  return h.app.inject({
    method: 'POST',
    url: `/v1/invoices/${id}/send`,
    headers: auth,
    ...(payload ? { payload } : {}),
  });
}

describe('sending invoices', () => {
  it('queues a send request to the client’s email and publishes send-requested', async () => {
    const { client, auth, token } = await seedTenant(h);
    const invoice = await issuedInvoice(auth, client.id);
    const response = await send(auth, invoice.id);
    assert.equal(response.statusCode, 202, response.body);
    const { requestId, status } = response.json<{ requestId: string; status: string }>();
    assert.equal(status, 'queued');

    const [event] = await waitForEvents<InvoiceSendRequested>(h, Subjects.InvoiceSendRequested, invoice.id);
    assert.ok(event);
    assert.deepEqual(validateEvent(Subjects.InvoiceSendRequested, event), []);
    assert.deepEqual(event.data, {
      requestId,
      invoiceId: invoice.id,
      number: invoice.number,
      documentVersion: 1,
      to: [client.email],
      sellerName: 'Seller AG',
      buyerName: client.name,
      gross: invoice.totals.gross,
      due: invoice.totals.due,
      currency: 'EUR',
      dueDate: invoice.dueDate,
      // The member who created the invoice (the token's subject): whose emails these are.
      createdBy: JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).sub,
    });
  });

  it('sends to the given recipients instead', async () => {
    const { client, auth } = await seedTenant(h);
    const invoice = await issuedInvoice(auth, client.id);
    const response = await send(auth, invoice.id, { to: ['a@example.com', 'B@example.com'] });
    assert.equal(response.statusCode, 202);
    const [event] = await waitForEvents<InvoiceSendRequested>(h, Subjects.InvoiceSendRequested, invoice.id);
    assert.deepEqual(event?.data.to, ['a@example.com', 'b@example.com']);
  });

  it('answers a retried send with the same Idempotency-Key with the first request id', async () => {
    const { client, auth } = await seedTenant(h);
    const invoice = await issuedInvoice(auth, client.id);
    const headers = { ...auth, 'idempotency-key': randomUUID() };
    const url = `/v1/invoices/${invoice.id}/send`;
    const first = await h.app.inject({ method: 'POST', url, headers, payload: { to: ['a@example.com'] } });
    const retry = await h.app.inject({ method: 'POST', url, headers, payload: { to: ['a@example.com'] } });
    assert.equal(first.statusCode, 202, first.body);
    assert.equal(retry.statusCode, 202, retry.body);
    assert.equal(retry.headers['idempotent-replayed'], 'true');
    assert.deepEqual(retry.json(), first.json());
    const other = await h.app.inject({ method: 'POST', url, headers, payload: { to: ['b@example.com'] } });
    assert.equal(other.statusCode, 422);
    assert.equal(other.json<Problem>().code, 'IDEMPOTENCY_KEY_REUSED');
  });

  it('refuses to send a draft', async () => {
    const { client, auth } = await seedTenant(h);
    const created = await h.app.inject({
      method: 'POST',
      url: '/v1/invoices',
      headers: auth,
      payload: { clientId: client.id, lines: [line()] },
    });
    const response = await send(auth, created.json<Invoice>().id);
    assert.equal(response.statusCode, 409);
    assert.equal(response.json<Problem>().code, 'INVOICE_NOT_ISSUED');
  });

  it('asks for recipients when the client has no email', async () => {
    const { client, auth } = await seedTenant(h, { email: undefined });
    const invoice = await issuedInvoice(auth, client.id);
    const response = await send(auth, invoice.id);
    assert.equal(response.json<Problem>().code, 'VALIDATION_FAILED');
    assert.equal(response.json<Problem>().errors?.[0]?.field, '/to');
  });

  it('rejects a malformed recipient', async () => {
    const { client, auth } = await seedTenant(h);
    const invoice = await issuedInvoice(auth, client.id);
    const response = await send(auth, invoice.id, { to: ['not-an-email'] });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json<Problem>().errors?.[0]?.field, '/to/0');
  });

  it('records when the invoice email was delivered', async () => {
    const { orgId, client, auth } = await seedTenant(h);
    const invoice = await issuedInvoice(auth, client.id);
    const time = new Date('2026-07-02T10:00:00.000Z');
    const delivered = createEnvelope({
      type: Subjects.EmailDelivered,
      source: 'notification',
      orgId,
      subject: newId(),
      time,
      data: {
        emailId: newId(),
        template: 'invoice',
        to: [client.email ?? ''],
        invoiceId: invoice.id,
        attempts: 1,
      },
    });
    await h.deps.bus.publish(delivered);
    const read = await waitFor(async () => {
      const response = await h.app.inject({
        method: 'GET',
        url: `/v1/invoices/${invoice.id}`,
        headers: auth,
      });
      const body = response.json<Invoice>();
      return body.lastSentAt ? body : undefined;
    });
    assert.equal(read.lastSentAt, time.toISOString());
  });
});

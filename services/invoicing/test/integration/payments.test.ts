import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Subjects,
  validateEvent,
  type Invoice,
  type InvoicePaid,
  type InvoicePaymentRecorded,
  type InvoiceVoided,
  type Payment,
  type Problem,
} from '@invoice/contracts';
import { startHarness, waitForEvents, type Harness } from '../support/harness.ts';
import { line, seedTenant } from '../support/factories.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

type Auth = Record<string, string>;

/** An issued invoice of 100.00 + 19 % VAT = 119.00 EUR. */
async function issued(auth: Auth, clientId: string): Promise<Invoice> {
  const created = await h.app.inject({
    method: 'POST',
    url: '/v1/invoices',
    headers: auth,
    payload: { clientId, issueDate: '2026-06-15', lines: [line({ quantity: '1', unitPrice: '100' })] },
  });
  assert.equal(created.statusCode, 201, created.body);
  const response = await h.app.inject({
    method: 'POST',
    url: `/v1/invoices/${created.json<Invoice>().id}/issue`,
    headers: auth,
  });
  assert.equal(response.statusCode, 200, response.body);
  return response.json<Invoice>();
}

function pay(auth: Auth, id: string, amount: string, extra: Record<string, unknown> = {}) {
  return h.app.inject({
    method: 'POST',
    url: `/v1/invoices/${id}/payments`,
    headers: auth,
    payload: { amount, date: '2026-06-20', method: 'bank_transfer', reference: 'TX-1', ...extra },
  });
}

async function invoiceOf(auth: Auth, id: string): Promise<Invoice> {
  const response = await h.app.inject({ method: 'GET', url: `/v1/invoices/${id}`, headers: auth });
  assert.equal(response.statusCode, 200, response.body);
  return response.json<Invoice>();
}

function reverse(auth: Auth, id: string, paymentId: string, reason = 'bounced') {
  return h.app.inject({
    method: 'DELETE',
    url: `/v1/invoices/${id}/payments/${paymentId}`,
    headers: auth,
    payload: { reason },
  });
}

function voidIt(auth: Auth, id: string, reason = 'issued by mistake', headers: Auth = {}) {
  return h.app.inject({
    method: 'POST',
    url: `/v1/invoices/${id}/void`,
    headers: { ...auth, ...headers },
    payload: { reason },
  });
}

describe('payments', () => {
  it('moves an invoice to partially_paid, then paid, with exact due and paid amounts', async () => {
    const { client, auth } = await seedTenant(h);
    const invoice = await issued(auth, client.id);
    assert.equal(invoice.totals.due, '119.00');

    const first = await pay(auth, invoice.id, '19.01');
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(first.json<Payment>().applied, '19.01');
    let current = await invoiceOf(auth, invoice.id);
    assert.equal(current.status, 'partially_paid');
    assert.equal(current.paid, '19.01');
    assert.equal(current.totals.due, '99.99');

    const second = await pay(auth, invoice.id, '99.99', { method: 'card' });
    assert.equal(second.statusCode, 201, second.body);
    current = await invoiceOf(auth, invoice.id);
    assert.equal(current.status, 'paid');
    assert.equal(current.paid, '119.00');
    assert.equal(current.totals.due, '0.00');

    const recorded = await waitForEvents<InvoicePaymentRecorded>(
      h,
      Subjects.InvoicePaymentRecorded,
      invoice.id,
      2,
    );
    for (const event of recorded) assert.deepEqual(validateEvent(Subjects.InvoicePaymentRecorded, event), []);
    assert.deepEqual(recorded.map((e) => e.data.status).sort(), ['paid', 'partially_paid']);
    const [paid, ...more] = await waitForEvents<InvoicePaid>(h, Subjects.InvoicePaid, invoice.id);
    assert.equal(more.length, 0);
    assert.equal(paid?.data.due, '0.00');
    assert.deepEqual(validateEvent(Subjects.InvoicePaid, paid), []);
  });

  it('lists payments oldest first, reversed ones with their reason', async () => {
    const { client, auth } = await seedTenant(h);
    const invoice = await issued(auth, client.id);
    const a = (await pay(auth, invoice.id, '10')).json<Payment>();
    await pay(auth, invoice.id, '20');
    const reversed = await reverse(auth, invoice.id, a.id, 'cheque bounced');
    assert.equal(reversed.statusCode, 200, reversed.body);
    const list = await h.app.inject({
      method: 'GET',
      url: `/v1/invoices/${invoice.id}/payments`,
      headers: auth,
    });
    const items = list.json<{ items: Payment[] }>().items;
    assert.deepEqual(
      items.map((p) => [p.amount, p.status, p.reversalReason, p.applied]),
      [
        ['10.00', 'reversed', 'cheque bounced', '0.00'],
        ['20.00', 'recorded', null, '20.00'],
      ],
    );
    const current = await invoiceOf(auth, invoice.id);
    assert.equal(current.paid, '20.00');
    assert.equal(current.totals.due, '99.00');
  });

  it('moves a paid invoice back to issued when its only payment is reversed', async () => {
    const { client, auth } = await seedTenant(h);
    const invoice = await issued(auth, client.id);
    const payment = (await pay(auth, invoice.id, '119')).json<Payment>();
    assert.equal((await invoiceOf(auth, invoice.id)).status, 'paid');
    assert.equal((await reverse(auth, invoice.id, payment.id)).statusCode, 200);
    const current = await invoiceOf(auth, invoice.id);
    assert.equal(current.status, 'issued');
    assert.equal(current.totals.due, '119.00');
  });

  it('answers a repeated reversal with the reversed payment, and another reason with PAYMENT_ALREADY_REVERSED', async () => {
    const { client, auth } = await seedTenant(h);
    const invoice = await issued(auth, client.id);
    const payment = (await pay(auth, invoice.id, '5')).json<Payment>();
    assert.equal((await reverse(auth, invoice.id, payment.id, 'typo')).statusCode, 200);
    const again = await reverse(auth, invoice.id, payment.id, 'typo');
    assert.equal(again.statusCode, 200);
    assert.equal(again.json<Payment>().status, 'reversed');
    const other = await reverse(auth, invoice.id, payment.id, 'something else');
    assert.equal(other.statusCode, 409);
    assert.equal(other.json<Problem>().code, 'PAYMENT_ALREADY_REVERSED');
  });

  it('refuses an overpayment with OVERPAYMENT on /amount, and keeps the excess as credit balance when allowed', async () => {
    const { client, auth } = await seedTenant(h);
    const invoice = await issued(auth, client.id);
    const refused = await pay(auth, invoice.id, '119.01');
    assert.equal(refused.statusCode, 422);
    const problem = refused.json<Problem>();
    assert.equal(problem.code, 'OVERPAYMENT');
    assert.equal(problem.errors?.[0]?.field, '/amount');
    assert.equal((await invoiceOf(auth, invoice.id)).paid, '0.00');

    const allowed = await pay(auth, invoice.id, '150', { allowCreditBalance: true });
    assert.equal(allowed.statusCode, 201, allowed.body);
    assert.deepEqual(
      [allowed.json<Payment>().applied, allowed.json<Payment>().creditBalance],
      ['119.00', '31.00'],
    );
    const current = await invoiceOf(auth, invoice.id);
    assert.deepEqual(
      [current.status, current.paid, current.creditBalance, current.totals.due],
      ['paid', '119.00', '31.00', '0.00'],
    );
  });

  it('refunds the credit balance first, then reopens the invoice', async () => {
    const { client, auth } = await seedTenant(h);
    const invoice = await issued(auth, client.id);
    const payment = (await pay(auth, invoice.id, '129', { allowCreditBalance: true })).json<Payment>();
    const refund = (amount: string) =>
      h.app.inject({
        method: 'POST',
        url: `/v1/invoices/${invoice.id}/payments/${payment.id}/refunds`,
        headers: auth,
        payload: { amount, date: '2026-06-25', reference: 'RF-1' },
      });
    const first = await refund('10');
    assert.equal(first.statusCode, 201, first.body);
    let current = await invoiceOf(auth, invoice.id);
    assert.deepEqual([current.status, current.creditBalance, current.paid], ['paid', '0.00', '119.00']);

    const second = await refund('19');
    assert.equal(second.statusCode, 201, second.body);
    assert.equal(second.json<Payment>().refunds.length, 2);
    current = await invoiceOf(auth, invoice.id);
    assert.deepEqual(
      [current.status, current.paid, current.totals.due],
      ['partially_paid', '100.00', '19.00'],
    );

    const tooMuch = await refund('100.01');
    assert.equal(tooMuch.statusCode, 422);
    assert.equal(tooMuch.json<Problem>().code, 'REFUND_EXCEEDS_PAYMENT');

    const reversal = await reverse(auth, invoice.id, payment.id);
    assert.equal(reversal.statusCode, 409);
    assert.equal(reversal.json<Problem>().code, 'PAYMENT_HAS_REFUNDS');
  });

  it('refuses payments on a draft (INVOICE_NOT_ISSUED), a paid invoice (INVOICE_ALREADY_PAID) and a void one (INVOICE_VOIDED)', async () => {
    const { client, auth } = await seedTenant(h);
    const draft = await h.app.inject({
      method: 'POST',
      url: '/v1/invoices',
      headers: auth,
      payload: { clientId: client.id, lines: [line()] },
    });
    const onDraft = await pay(auth, draft.json<Invoice>().id, '1');
    assert.equal(onDraft.statusCode, 409);
    assert.equal(onDraft.json<Problem>().code, 'INVOICE_NOT_ISSUED');

    const paid = await issued(auth, client.id);
    await pay(auth, paid.id, '119');
    const onPaid = await pay(auth, paid.id, '1');
    assert.equal(onPaid.statusCode, 409);
    assert.equal(onPaid.json<Problem>().code, 'INVOICE_ALREADY_PAID');

    const voided = await issued(auth, client.id);
    assert.equal((await voidIt(auth, voided.id)).statusCode, 200);
    const onVoid = await pay(auth, voided.id, '1');
    assert.equal(onVoid.statusCode, 409);
    assert.equal(onVoid.json<Problem>().code, 'INVOICE_VOIDED');
  });

  it('refuses zero and amounts with more decimals than the currency has', async () => {
    const { client, auth } = await seedTenant(h);
    const invoice = await issued(auth, client.id);
    const zero = await pay(auth, invoice.id, '0');
    assert.equal(zero.statusCode, 422);
    assert.equal(zero.json<Problem>().errors?.[0]?.field, '/amount');
    const cents = await pay(auth, invoice.id, '1.001');
    assert.equal(cents.statusCode, 422);
    assert.equal(cents.json<Problem>().code, 'TOO_MANY_DECIMALS');
    const bad = await pay(auth, invoice.id, '1', { method: 'Bank Transfer' });
    assert.equal(bad.statusCode, 400);
  });

  it('replays a payment sent again with the same Idempotency-Key instead of recording it twice', async () => {
    const { client, auth } = await seedTenant(h);
    const invoice = await issued(auth, client.id);
    const headers = { ...auth, 'idempotency-key': 'pay-once-1' };
    const request = () =>
      h.app.inject({
        method: 'POST',
        url: `/v1/invoices/${invoice.id}/payments`,
        headers,
        payload: { amount: '50', date: '2026-06-20', method: 'cash' },
      });
    const first = await request();
    const second = await request();
    assert.equal(first.statusCode, 201);
    assert.equal(second.json<Payment>().id, first.json<Payment>().id);
    assert.equal((await invoiceOf(auth, invoice.id)).paid, '50.00');
  });

  it('asks for a payment receipt to the buyer only when the organization sends receipts', async () => {
    const { client, auth } = await seedTenant(h);
    const without = await issued(auth, client.id);
    await pay(auth, without.id, '10');
    const settings = await h.app.inject({
      method: 'PUT',
      url: '/v1/invoice-settings',
      headers: auth,
      payload: {
        reminders: { enabled: false, firstAfterDays: 3, everyDays: 7, maxReminders: 3 },
        paymentReceipts: true,
      },
    });
    assert.equal(settings.statusCode, 200, settings.body);
    const withReceipt = await issued(auth, client.id);
    await pay(auth, withReceipt.id, '10');
    const [plain] = await waitForEvents<InvoicePaymentRecorded>(
      h,
      Subjects.InvoicePaymentRecorded,
      without.id,
    );
    const [receipt] = await waitForEvents<InvoicePaymentRecorded>(
      h,
      Subjects.InvoicePaymentRecorded,
      withReceipt.id,
    );
    assert.equal(plain?.data.receipt, undefined);
    assert.deepEqual(receipt?.data.receipt, {
      to: [client.email],
      buyerName: client.name,
      sellerName: 'Seller AG',
    });
  });

  it("answers 404 for another organization's invoice and for an unknown payment", async () => {
    const one = await seedTenant(h);
    const other = await seedTenant(h);
    const invoice = await issued(one.auth, one.client.id);
    const foreign = await pay(other.auth, invoice.id, '1');
    assert.equal(foreign.statusCode, 404);
    const list = await h.app.inject({
      method: 'GET',
      url: `/v1/invoices/${invoice.id}/payments`,
      headers: other.auth,
    });
    assert.equal(list.statusCode, 404);
    const unknown = await reverse(one.auth, invoice.id, invoice.id);
    assert.equal(unknown.statusCode, 404);
  });
});

describe('void', () => {
  it('voids an issued invoice with its reason, keeps its number and publishes a VOID document version', async () => {
    const { client, auth } = await seedTenant(h);
    const invoice = await issued(auth, client.id);
    const response = await voidIt(auth, invoice.id, 'wrong client');
    assert.equal(response.statusCode, 200, response.body);
    const voided = response.json<Invoice>();
    assert.deepEqual(
      [voided.status, voided.number, voided.voidReason],
      ['void', invoice.number, 'wrong client'],
    );
    assert.ok(voided.voidedAt);
    const [event] = await waitForEvents<InvoiceVoided>(h, Subjects.InvoiceVoided, invoice.id);
    assert.deepEqual(validateEvent(Subjects.InvoiceVoided, event), []);
    assert.equal(event?.data.invoice.status, 'void');
    assert.equal(event?.data.invoice.version, 2);
    assert.equal(event?.data.invoice.number, invoice.number);
    assert.equal(event?.data.invoice.totals.gross, '119.00');

    const again = await voidIt(auth, invoice.id);
    assert.equal(again.statusCode, 409);
    assert.equal(again.json<Problem>().code, 'INVOICE_VOIDED');
  });

  it('refuses to void an invoice with payments and names the credit note as the way out', async () => {
    const { client, auth } = await seedTenant(h);
    const invoice = await issued(auth, client.id);
    await pay(auth, invoice.id, '10');
    const response = await voidIt(auth, invoice.id);
    assert.equal(response.statusCode, 409);
    const problem = response.json<Problem>();
    assert.equal(problem.code, 'INVOICE_HAS_PAYMENTS');
    assert.match(problem.detail ?? '', /credit note/);
    assert.equal((await invoiceOf(auth, invoice.id)).status, 'partially_paid');
  });

  it('voids after the only payment was reversed, and refuses to void a draft', async () => {
    const { client, auth } = await seedTenant(h);
    const invoice = await issued(auth, client.id);
    const payment = (await pay(auth, invoice.id, '10')).json<Payment>();
    await reverse(auth, invoice.id, payment.id);
    assert.equal((await voidIt(auth, invoice.id)).statusCode, 200);

    const draft = await h.app.inject({
      method: 'POST',
      url: '/v1/invoices',
      headers: auth,
      payload: { clientId: client.id, lines: [line()] },
    });
    const onDraft = await voidIt(auth, draft.json<Invoice>().id);
    assert.equal(onDraft.statusCode, 409);
    assert.equal(onDraft.json<Problem>().code, 'INVOICE_NOT_ISSUED');
  });
});

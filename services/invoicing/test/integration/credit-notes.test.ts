import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Subjects,
  validateEvent,
  type CreditNote,
  type CreditNoteIssued,
  type Invoice,
  type InvoiceSendRequested,
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

/**
 * A two-rate invoice: 10 × 10.00 at 19 % (net 100.00, VAT 19.00) and 3 × 33.33 at 7 % (net 99.99,
 * VAT 7.00): gross 225.99 EUR.
 */
async function twoRateInvoice(auth: Auth, clientId: string, extra: Record<string, unknown> = {}) {
  const created = await h.app.inject({
    method: 'POST',
    url: '/v1/invoices',
    headers: auth,
    payload: {
      clientId,
      issueDate: '2026-06-15',
      lines: [
        line({ description: 'Licences', quantity: '10', unitPrice: '10.00', vatRate: '19' }),
        line({ description: 'Books', quantity: '3', unitPrice: '33.33', vatRate: '7' }),
      ],
      ...extra,
    },
  });
  assert.equal(created.statusCode, 201, created.body);
  const issued = await h.app.inject({
    method: 'POST',
    url: `/v1/invoices/${created.json<Invoice>().id}/issue`,
    headers: auth,
  });
  assert.equal(issued.statusCode, 200, issued.body);
  const invoice = issued.json<Invoice>();
  assert.equal(invoice.totals.gross, '225.99');
  return invoice;
}

function credit(auth: Auth, id: string, payload: Record<string, unknown>) {
  return h.app.inject({
    method: 'POST',
    url: `/v1/invoices/${id}/credit-notes`,
    headers: auth,
    payload: { issueDate: '2026-06-20', ...payload },
  });
}

async function invoiceOf(auth: Auth, id: string): Promise<Invoice> {
  return (await h.app.inject({ method: 'GET', url: `/v1/invoices/${id}`, headers: auth })).json<Invoice>();
}

const vatOf = (note: CreditNote) => note.vatBreakdown.map((g) => [g.rate, g.taxable, g.tax]);

describe('credit notes', () => {
  it('credits chosen lines and quantities of a two-rate invoice with the exact VAT per rate', async () => {
    const { client, auth } = await seedTenant(h);
    const invoice = await twoRateInvoice(auth, client.id);
    const response = await credit(auth, invoice.id, {
      lines: [
        { position: 1, quantity: '3' },
        { position: 2, quantity: '1' },
      ],
      reason: 'returned goods',
    });
    assert.equal(response.statusCode, 201, response.body);
    const note = response.json<CreditNote>();
    assert.equal(note.number, 'CN-2026-000001');
    assert.equal(note.invoiceNumber, invoice.number);
    assert.deepEqual(vatOf(note), [
      ['19.00', '30.00', '5.70'],
      ['7.00', '33.33', '2.33'],
    ]);
    assert.equal(note.totals.gross, '71.36');
    assert.deepEqual(
      note.lines.map((l) => [l.creditedPosition, l.quantity, l.net]),
      [
        [1, '3', '30.00'],
        [2, '1', '33.33'],
      ],
    );

    const current = await invoiceOf(auth, invoice.id);
    assert.deepEqual(
      [current.status, current.credited, current.totals.due],
      ['partially_paid', '71.36', '154.63'],
    );

    const [event] = await waitForEvents<CreditNoteIssued>(h, Subjects.CreditNoteIssued, note.id);
    assert.deepEqual(validateEvent(Subjects.CreditNoteIssued, event), []);
    assert.equal(event?.data.creditNote.type, 'credit_note');
    assert.equal(event?.data.creditNote.number, 'CN-2026-000001');
    assert.equal(event?.data.creditedInvoice.number, invoice.number);
    assert.equal(event?.data.invoice.due, '154.63');
  });

  it('credits a net amount per VAT rate, and numbers credit notes in their own series', async () => {
    const { client, auth } = await seedTenant(h);
    const invoice = await twoRateInvoice(auth, client.id);
    const first = await credit(auth, invoice.id, {
      amounts: [
        { vatCategory: 'S', vatRate: '19', net: '50.00' },
        { vatCategory: 'S', vatRate: '7.0', net: '10.01' },
      ],
    });
    assert.equal(first.statusCode, 201, first.body);
    assert.deepEqual(vatOf(first.json<CreditNote>()), [
      ['19.00', '50.00', '9.50'],
      ['7.00', '10.01', '0.70'],
    ]);
    const second = await credit(auth, invoice.id, {
      amounts: [{ vatCategory: 'S', vatRate: '19', net: '1' }],
    });
    assert.equal(second.json<CreditNote>().number, 'CN-2026-000002');
    assert.equal((await invoiceOf(auth, invoice.id)).number, invoice.number, 'the invoice keeps its number');
  });

  it('refuses over-crediting a line quantity or a VAT group with CREDIT_EXCEEDS_CREDITABLE', async () => {
    const { client, auth } = await seedTenant(h);
    const invoice = await twoRateInvoice(auth, client.id);
    await credit(auth, invoice.id, {
      lines: [
        { position: 1, quantity: '3' },
        { position: 2, quantity: '1' },
      ],
    });

    const tooMany = await credit(auth, invoice.id, { lines: [{ position: 2, quantity: '2.5' }] });
    assert.equal(tooMany.statusCode, 422);
    assert.equal(tooMany.json<Problem>().code, 'CREDIT_EXCEEDS_CREDITABLE');
    assert.equal(tooMany.json<Problem>().errors?.[0]?.field, '/lines/0/quantity');

    const tooMuch = await credit(auth, invoice.id, {
      amounts: [{ vatCategory: 'S', vatRate: '19', net: '70.01' }],
    });
    assert.equal(tooMuch.statusCode, 422);
    assert.equal(tooMuch.json<Problem>().code, 'CREDIT_EXCEEDS_CREDITABLE');

    const unknownRate = await credit(auth, invoice.id, {
      amounts: [{ vatCategory: 'S', vatRate: '16', net: '1' }],
    });
    assert.equal(unknownRate.statusCode, 400);
    assert.equal(unknownRate.json<Problem>().errors?.[0]?.field, '/amounts/0/vatRate');

    const current = await invoiceOf(auth, invoice.id);
    assert.equal(current.credited, '71.36', 'refused credit notes change nothing');
  });

  it('credits everything that remains with an empty body, settling the invoice, then refuses more', async () => {
    const { client, auth } = await seedTenant(h);
    const invoice = await twoRateInvoice(auth, client.id);
    const full = await credit(auth, invoice.id, {});
    assert.equal(full.statusCode, 201, full.body);
    assert.equal(full.json<CreditNote>().totals.gross, '225.99');
    const current = await invoiceOf(auth, invoice.id);
    assert.deepEqual([current.status, current.totals.due], ['paid', '0.00']);
    const again = await credit(auth, invoice.id, {});
    assert.equal(again.statusCode, 409);
    assert.equal(again.json<Problem>().code, 'NOTHING_TO_CREDIT');
  });

  it('credits the remainder per VAT group after a partial credit note, never more than the invoice', async () => {
    const { client, auth } = await seedTenant(h);
    const invoice = await twoRateInvoice(auth, client.id);
    await credit(auth, invoice.id, {
      lines: [
        { position: 1, quantity: '3' },
        { position: 2, quantity: '1' },
      ],
    });
    const rest = await credit(auth, invoice.id, {});
    assert.equal(rest.statusCode, 201, rest.body);
    assert.deepEqual(vatOf(rest.json<CreditNote>()), [
      ['19.00', '70.00', '13.30'],
      ['7.00', '66.66', '4.67'],
    ]);
    const current = await invoiceOf(auth, invoice.id);
    assert.equal(current.credited, '225.99');
    assert.equal(current.totals.due, '0.00');
    const list = await h.app.inject({
      method: 'GET',
      url: `/v1/invoices/${invoice.id}/credit-notes`,
      headers: auth,
    });
    assert.equal(list.json<{ items: CreditNote[] }>().items.length, 2);
  });

  it('refuses credit notes on drafts and void invoices, and hides other organizations’ credit notes', async () => {
    const { client, auth } = await seedTenant(h);
    const other = await seedTenant(h);
    const draft = await h.app.inject({
      method: 'POST',
      url: '/v1/invoices',
      headers: auth,
      payload: { clientId: client.id, lines: [line()] },
    });
    const onDraft = await credit(auth, draft.json<Invoice>().id, {});
    assert.equal(onDraft.json<Problem>().code, 'INVOICE_NOT_ISSUED');

    const invoice = await twoRateInvoice(auth, client.id);
    const note = (
      await credit(auth, invoice.id, { lines: [{ position: 1, quantity: '1' }] })
    ).json<CreditNote>();
    const read = await h.app.inject({ method: 'GET', url: `/v1/credit-notes/${note.id}`, headers: auth });
    assert.equal(read.statusCode, 200);
    assert.equal(read.json<CreditNote>().number, note.number);
    const foreign = await h.app.inject({
      method: 'GET',
      url: `/v1/credit-notes/${note.id}`,
      headers: other.auth,
    });
    assert.equal(foreign.statusCode, 404);
    const voidWithCredit = await h.app.inject({
      method: 'POST',
      url: `/v1/invoices/${invoice.id}/void`,
      headers: auth,
      payload: { reason: 'x' },
    });
    assert.equal(voidWithCredit.json<Problem>().code, 'INVOICE_HAS_CREDIT_NOTES');

    const voided = await twoRateInvoice(auth, client.id);
    await h.app.inject({
      method: 'POST',
      url: `/v1/invoices/${voided.id}/void`,
      headers: auth,
      payload: { reason: 'x' },
    });
    const onVoid = await credit(auth, voided.id, {});
    assert.equal(onVoid.json<Problem>().code, 'INVOICE_VOIDED');
  });

  it('sends a credit note as a credit note of its invoice, to the client by default', async () => {
    const { client, auth } = await seedTenant(h);
    const invoice = await twoRateInvoice(auth, client.id);
    const note = (
      await credit(auth, invoice.id, { lines: [{ position: 1, quantity: '1' }] })
    ).json<CreditNote>();
    const response = await h.app.inject({
      method: 'POST',
      url: `/v1/credit-notes/${note.id}/send`,
      headers: auth,
    });
    assert.equal(response.statusCode, 202, response.body);
    const [event] = await waitForEvents<InvoiceSendRequested>(h, Subjects.InvoiceSendRequested, note.id);
    assert.deepEqual(validateEvent(Subjects.InvoiceSendRequested, event), []);
    assert.equal(event?.data.documentType, 'credit_note');
    assert.equal(event?.data.creditedNumber, invoice.number);
    assert.equal(event?.data.gross, note.totals.gross);
    assert.deepEqual(event?.data.to, [client.email]);
  });
});

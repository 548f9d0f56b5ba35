/**
 * The settlement property through the API, against the database: for random sequences of payments,
 * reversals, refunds and credit notes, `totals.due = gross − prepaid − Σpayments − Σcredit notes`
 * exactly, `paid` and `credited` are those sums, and the status matches them. Refused requests (an
 * overpayment, a refund beyond its payment, an over-credit) must leave everything as it was.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import type { CreditNote, Invoice, Payment } from '@invoice/contracts';
import { startHarness, type Harness } from '../support/harness.ts';
import { line, seedTenant } from '../support/factories.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

type Op =
  | { kind: 'pay'; cents: number; allowCredit: boolean }
  | { kind: 'reverse'; index: number }
  | { kind: 'refund'; index: number; cents: number }
  | { kind: 'credit'; cents: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('pay' as const),
      cents: fc.integer({ min: 1, max: 12_000 }),
      allowCredit: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reverse' as const), index: fc.nat(5) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('refund' as const),
      index: fc.nat(5),
      cents: fc.integer({ min: 1, max: 6_000 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('credit' as const), cents: fc.integer({ min: 1, max: 4_000 }) }),
  },
);

const money = (cents: number) => (cents / 100).toFixed(2);

describe('settlement through the API', () => {
  it('keeps due, paid, credited and status exact for random sequences', async () => {
    const { client, auth } = await seedTenant(h);
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 7 }), async (ops) => {
        const created = await h.app.inject({
          method: 'POST',
          url: '/v1/invoices',
          headers: auth,
          payload: {
            clientId: client.id,
            issueDate: '2026-06-15',
            prepaid: '19.00',
            lines: [line({ quantity: '1', unitPrice: '100' })],
          },
        });
        const id = created.json<Invoice>().id;
        const issued = await h.app.inject({ method: 'POST', url: `/v1/invoices/${id}/issue`, headers: auth });
        assert.equal(issued.statusCode, 200, issued.body);
        const paymentIds: string[] = [];
        for (const op of ops) {
          const response = await apply(auth, id, op, paymentIds);
          assert.ok(response < 500, `${op.kind} answered ${response}`);
          await checkSettlement(auth, id);
        }
      }),
      { numRuns: 12 },
    );
  });
});

async function apply(
  auth: Record<string, string>,
  id: string,
  op: Op,
  paymentIds: string[],
): Promise<number> {
  if (op.kind === 'pay') {
    const response = await h.app.inject({
      method: 'POST',
      url: `/v1/invoices/${id}/payments`,
      headers: auth,
      payload: {
        amount: money(op.cents),
        date: '2026-06-20',
        method: 'cash',
        allowCreditBalance: op.allowCredit,
      },
    });
    if (response.statusCode === 201) paymentIds.push(response.json<Payment>().id);
    return response.statusCode;
  }
  if (op.kind === 'credit') {
    const response = await h.app.inject({
      method: 'POST',
      url: `/v1/invoices/${id}/credit-notes`,
      headers: auth,
      payload: {
        issueDate: '2026-06-20',
        amounts: [{ vatCategory: 'S', vatRate: '19', net: money(op.cents) }],
      },
    });
    return response.statusCode;
  }
  const paymentId = paymentIds[op.index % Math.max(paymentIds.length, 1)];
  if (!paymentId) return 200;
  const response =
    op.kind === 'reverse'
      ? await h.app.inject({
          method: 'DELETE',
          url: `/v1/invoices/${id}/payments/${paymentId}`,
          headers: auth,
          payload: { reason: 'property' },
        })
      : await h.app.inject({
          method: 'POST',
          url: `/v1/invoices/${id}/payments/${paymentId}/refunds`,
          headers: auth,
          payload: { amount: money(op.cents), date: '2026-06-21' },
        });
  return response.statusCode;
}

async function checkSettlement(auth: Record<string, string>, id: string): Promise<void> {
  const get = (url: string) => h.app.inject({ method: 'GET', url, headers: auth });
  const invoice = (await get(`/v1/invoices/${id}`)).json<Invoice>();
  const payments = (await get(`/v1/invoices/${id}/payments`)).json<{ items: Payment[] }>().items;
  const notes = (await get(`/v1/invoices/${id}/credit-notes`)).json<{ items: CreditNote[] }>().items;
  // What the buyer paid and kept paid, less what is held as credit balance (from the payment history).
  const paid = payments
    .filter((p) => p.status === 'recorded')
    .reduce((sum, p) => sum.plus(p.amount).minus(p.refunded).minus(p.creditBalance), new Decimal(0));
  const credited = notes.reduce((sum, note) => sum.plus(note.totals.gross), new Decimal(0));
  const due = new Decimal(invoice.totals.gross).minus(invoice.prepaid).minus(paid).minus(credited);
  assert.equal(invoice.totals.due, due.toFixed(2));
  assert.equal(invoice.paid, paid.toFixed(2));
  assert.equal(invoice.credited, credited.toFixed(2));
  const expected = due.lte(0) ? 'paid' : paid.isZero() && credited.isZero() ? 'issued' : 'partially_paid';
  assert.equal(invoice.status, expected, `due ${invoice.totals.due}`);
}

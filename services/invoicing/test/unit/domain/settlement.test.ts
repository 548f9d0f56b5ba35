import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { AppError, type InvoiceStatus } from '@invoice/contracts';
import { Dec } from '../../../src/domain/money/decimal.ts';
import { assertPayable, settledStatus } from '../../../src/domain/invoice-status.ts';
import {
  appliedOf,
  assertRefundable,
  parseAmount,
  settle,
  splitPayment,
  type PaymentAmounts,
} from '../../../src/domain/settlement.ts';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as AppError).code;
  }
  return undefined;
};

/** Cents as a decimal string with two places. */
const money = (cents: number) => (cents / 100).toFixed(2);

type Op =
  | { kind: 'pay'; cents: number; allowCredit: boolean }
  | { kind: 'reverse'; index: number }
  | { kind: 'refund'; index: number; cents: number }
  | { kind: 'credit'; cents: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('pay' as const),
    cents: fc.integer({ min: 1, max: 20_000 }),
    allowCredit: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('reverse' as const), index: fc.nat(9) }),
  fc.record({
    kind: fc.constant('refund' as const),
    index: fc.nat(9),
    cents: fc.integer({ min: 1, max: 20_000 }),
  }),
  fc.record({ kind: fc.constant('credit' as const), cents: fc.integer({ min: 1, max: 5_000 }) }),
);

/** What an invoice holds while the operations run (the state the service stores). */
interface Model {
  status: InvoiceStatus;
  payments: PaymentAmounts[];
  credited: Dec;
  due: string;
}

/** Applies one operation the way the use cases do; a refused one leaves the model unchanged. */
function apply(model: Model, op: Op, payable: string): Model {
  try {
    const payments = [...model.payments];
    let credited = model.credited;
    if (op.kind === 'pay') {
      assertPayable(model.status);
      const amount = parseAmount(money(op.cents), '/amount', 2);
      const { creditBalance } = splitPayment(amount, model.due, op.allowCredit, 2);
      payments.push({ amount: money(op.cents), creditBalance, refunded: '0.00', reversed: false });
    } else if (op.kind === 'reverse') {
      const payment = payments[op.index];
      if (!payment || payment.reversed || payment.refunded !== '0.00') return model;
      payments[op.index] = { ...payment, reversed: true };
    } else if (op.kind === 'refund') {
      const payment = payments[op.index];
      if (!payment) return model;
      const amount = new Dec(money(op.cents));
      assertRefundable(payment, amount, 2);
      payments[op.index] = { ...payment, refunded: new Dec(payment.refunded).plus(amount).toFixed(2) };
    } else {
      // A credit note never credits more than what was not credited yet.
      const next = credited.plus(new Dec(money(op.cents)));
      if (next.gt(new Dec(payable))) return model;
      credited = next;
    }
    const settlement = settle(payable, payments, credited.toFixed(2), 2);
    return { status: settledStatus(model.status, settlement), payments, credited, due: settlement.due };
  } catch (error) {
    if (error instanceof AppError) return model;
    throw error;
  }
}

describe('settlement of an issued invoice', () => {
  it('keeps due = gross − prepaid − Σpayments − Σcredit notes exactly, and the status in step, for any sequence', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50_000 }),
        fc.integer({ min: 0, max: 1_000 }),
        fc.array(opArb, { maxLength: 25 }),
        (grossCents, prepaidCents, ops) => {
          const gross = new Dec(money(grossCents + prepaidCents));
          const prepaid = new Dec(money(prepaidCents));
          const payable = gross.minus(prepaid).toFixed(2);
          let model: Model = { status: 'issued', payments: [], credited: new Dec(0), due: payable };
          for (const op of ops) {
            model = apply(model, op, payable);
            // Money the buyer paid and kept paid, less what is held as credit balance (independent sum).
            const payments = model.payments
              .filter((p) => !p.reversed)
              .reduce((sum, p) => {
                const kept = new Dec(p.amount).minus(new Dec(p.refunded));
                const heldAsCredit = Dec.max(0, new Dec(p.creditBalance).minus(new Dec(p.refunded)));
                return sum.plus(kept.minus(heldAsCredit));
              }, new Dec(0));
            const expected = gross.minus(prepaid).minus(payments).minus(model.credited);
            assert.equal(model.due, expected.toFixed(2));
            const due = new Dec(model.due);
            const anything = !payments.isZero() || !model.credited.isZero();
            const status = due.lte(0) ? 'paid' : anything ? 'partially_paid' : 'issued';
            assert.equal(model.status, status, `due ${model.due}`);
            for (const p of model.payments) assert.ok(appliedOf(p).gte(0));
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('splits an overpayment into the due amount and a credit balance only when allowed', () => {
    const amount = new Dec('150.00');
    assert.equal(
      codeOf(() => splitPayment(amount, '119.00', false, 2)),
      'OVERPAYMENT',
    );
    assert.deepEqual(splitPayment(amount, '119.00', true, 2), { creditBalance: '31.00' });
    assert.deepEqual(splitPayment(new Dec('119'), '119.00', false, 2), { creditBalance: '0.00' });
  });

  it('refunds credit balance before the applied part', () => {
    const payment = { amount: '129.00', creditBalance: '10.00', refunded: '0.00', reversed: false };
    assert.equal(appliedOf(payment).toFixed(2), '119.00');
    assert.equal(appliedOf({ ...payment, refunded: '10.00' }).toFixed(2), '119.00');
    assert.equal(appliedOf({ ...payment, refunded: '29.00' }).toFixed(2), '100.00');
    assert.equal(appliedOf({ ...payment, reversed: true }).toFixed(2), '0.00');
  });

  it('refuses a refund beyond the payment and any refund of a reversed payment', () => {
    const payment = { amount: '50.00', creditBalance: '0.00', refunded: '20.00', reversed: false };
    assert.equal(
      codeOf(() => assertRefundable(payment, new Dec('30.01'), 2)),
      'REFUND_EXCEEDS_PAYMENT',
    );
    assert.equal(
      codeOf(() => assertRefundable(payment, new Dec('30'), 2)),
      undefined,
    );
    assert.equal(
      codeOf(() => assertRefundable({ ...payment, reversed: true }, new Dec('1'), 2)),
      'PAYMENT_ALREADY_REVERSED',
    );
  });

  it('keeps an overdue invoice overdue until it is settled', () => {
    assert.equal(settledStatus('overdue', { settled: false, anythingApplied: true }), 'overdue');
    assert.equal(settledStatus('overdue', { settled: true, anythingApplied: true }), 'paid');
    assert.equal(settledStatus('paid', { settled: false, anythingApplied: false }), 'issued');
  });
});

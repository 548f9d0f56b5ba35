/** Payments as the API answers them and as the lifecycle events carry them. */
import { compact, fixedDecimal, type Payment, type PaymentSnapshot } from '@invoice/contracts';
import { appliedOf, remainingCreditOf } from '../domain/settlement.ts';
import { fixed } from '../domain/money/decimal.ts';
import type { PaymentRow } from '../db/payments.repository.ts';

const amountsOf = (row: PaymentRow) => ({ ...row, reversed: row.reversedAt !== null });

/** The payment resource. */
export function toPayment(row: PaymentRow, decimals: number): Payment {
  const money = (value: string) => fixedDecimal(value, decimals);
  return {
    id: row.id,
    invoiceId: row.invoiceId,
    status: row.reversedAt ? 'reversed' : 'recorded',
    amount: money(row.amount),
    applied: fixed(appliedOf(amountsOf(row)), decimals),
    creditBalance: fixed(remainingCreditOf(amountsOf(row)), decimals),
    refunded: money(row.refunded),
    date: row.date,
    method: row.method,
    reference: row.reference,
    note: row.note,
    refunds: row.refunds.map((refund) => ({
      id: refund.id,
      amount: money(refund.amount),
      date: refund.date,
      reference: refund.reference,
      note: refund.note,
      createdAt: refund.createdAt.toISOString(),
    })),
    reversedAt: row.reversedAt ? row.reversedAt.toISOString() : null,
    reversalReason: row.reversalReason,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The payment inside a lifecycle event. */
export function paymentSnapshot(row: PaymentRow, decimals: number): PaymentSnapshot {
  const payment = toPayment(row, decimals);
  return {
    id: payment.id,
    amount: payment.amount,
    applied: payment.applied,
    creditBalance: payment.creditBalance,
    refunded: payment.refunded,
    date: payment.date,
    method: payment.method,
    ...compact({ reference: payment.reference }),
  };
}

/**
 * Payments of an issued invoice: record, reverse (with a reason; the payment stays in the history)
 * and refund. Each is one transaction that locks the invoice, changes the payment, re-settles the
 * invoice from all its payments (./settlement.ts), and writes the events through the outbox.
 */
import {
  AppError,
  newId,
  Subjects,
  type InvoicePaymentRecorded,
  type InvoicePaymentReversed,
  type InvoiceRefundRecorded,
  type Payment,
  type RecordPaymentBody,
  type RecordRefundBody,
} from '@invoice/contracts';
import type { EntityManager } from '@invoice/platform-db';
import { enqueueEvent } from '@invoice/platform-outbox';
import { assertPayable, assertPaymentAdjustable } from '../domain/invoice-status.ts';
import { Dec, ZERO, fixed } from '../domain/money/decimal.ts';
import { minorUnitsOf } from '../domain/pricing.ts';
import { assertRefundable, parseAmount, splitPayment } from '../domain/settlement.ts';
import type { UseCaseDeps } from '../deps.ts';
import type { InvoiceRow } from '../db/invoice.entity.ts';
import { findInvoiceSettings } from '../db/invoice-settings.repository.ts';
import { findInvoice } from '../db/invoices.repository.ts';
import {
  insertPayment,
  insertRefund,
  listPaymentRows,
  markPaymentReversed,
  type PaymentRow,
} from '../db/payments.repository.ts';
import { invoiceLifecycleEvent } from './invoice-events.ts';
import { invoiceNotFound } from './guards.ts';
import { paymentSnapshot, toPayment } from './payment-view.ts';
import { resettle, settlementData, withLockedInvoice } from './settlement.ts';

/** Records a payment; 201 with the payment. */
export async function recordPayment(
  deps: UseCaseDeps,
  orgId: string,
  invoiceId: string,
  body: RecordPaymentBody,
): Promise<Payment> {
  const result = await withLockedInvoice(deps, orgId, invoiceId, async (em, invoice) => {
    assertPayable(invoice.status);
    const decimals = minorUnitsOf(invoice.currency);
    const amount = parseAmount(body.amount, '/amount', decimals);
    const { creditBalance } = splitPayment(
      amount,
      invoice.totalDue,
      body.allowCreditBalance ?? false,
      decimals,
    );
    const now = new Date();
    const row: PaymentRow = {
      id: newId(),
      orgId,
      invoiceId,
      amount: fixed(amount, decimals),
      creditBalance,
      refunded: fixed(ZERO, decimals),
      date: body.date,
      method: body.method,
      reference: body.reference ?? null,
      note: body.note ?? null,
      reversedAt: null,
      reversalReason: null,
      createdAt: now,
      refunds: [],
    };
    await insertPayment(em, row);
    const updated = await resettle(em, invoice, await listPaymentRows(em, invoiceId), now);
    const receipt = await receiptOf(em, updated);
    const data: InvoicePaymentRecorded = {
      ...settlementData(updated),
      payment: paymentSnapshot(row, decimals),
      ...(receipt ? { receipt } : {}),
    };
    await enqueueEvent(em, invoiceLifecycleEvent(orgId, Subjects.InvoicePaymentRecorded, invoiceId, data));
    return { row, decimals };
  });
  deps.logger.debug({ invoiceId, paymentId: result.row.id }, 'payment recorded');
  return toPayment(result.row, result.decimals);
}

/** Who gets a payment receipt: the buyer, when the organization sends receipts and the buyer has an email. */
async function receiptOf(
  em: EntityManager,
  invoice: InvoiceRow,
): Promise<InvoicePaymentRecorded['receipt'] | undefined> {
  const email = invoice.buyer?.email;
  if (!email || !invoice.buyer || !invoice.seller) return undefined;
  const settings = await findInvoiceSettings(em, invoice.orgId);
  if (!settings?.paymentReceipts) return undefined;
  return { to: [email.toLowerCase()], buyerName: invoice.buyer.name, sellerName: invoice.seller.name };
}

/** Every payment of the invoice (reversed ones included), oldest first. */
export async function listPayments(deps: UseCaseDeps, orgId: string, invoiceId: string): Promise<Payment[]> {
  const em = deps.orm.em.fork();
  const invoice = await findInvoice(em, orgId, invoiceId);
  if (!invoice) throw invoiceNotFound();
  const decimals = minorUnitsOf(invoice.currency);
  return (await listPaymentRows(em, invoiceId)).map((row) => toPayment(row, decimals));
}

function paymentOf(rows: readonly PaymentRow[], paymentId: string): PaymentRow {
  const payment = rows.find((row) => row.id === paymentId);
  if (!payment) throw new AppError('NOT_FOUND', { detail: 'No such payment of this invoice' });
  return payment;
}

/**
 * Reverses a payment (a bounced transfer, a wrong entry). Repeating the same reversal answers the
 * reversed payment again; a different reason for an already reversed one is PAYMENT_ALREADY_REVERSED.
 */
export async function reversePayment(
  deps: UseCaseDeps,
  orgId: string,
  invoiceId: string,
  paymentId: string,
  reason: string,
): Promise<Payment> {
  const result = await withLockedInvoice(deps, orgId, invoiceId, async (em, invoice) => {
    const decimals = minorUnitsOf(invoice.currency);
    const payments = await listPaymentRows(em, invoiceId);
    const payment = paymentOf(payments, paymentId);
    if (payment.reversedAt) {
      if (payment.reversalReason === reason) return { row: payment, decimals };
      throw new AppError('PAYMENT_ALREADY_REVERSED', {
        detail: `Reversed on ${payment.reversedAt.toISOString()}`,
      });
    }
    assertPaymentAdjustable(invoice.status);
    if (payment.refunds.length > 0) {
      throw new AppError('PAYMENT_HAS_REFUNDS', {
        detail: 'Money was refunded against this payment; record the rest as a refund instead',
      });
    }
    const now = new Date();
    await markPaymentReversed(em, paymentId, reason, now);
    const reversed: PaymentRow = { ...payment, reversedAt: now, reversalReason: reason };
    const all = payments.map((row) => (row.id === paymentId ? reversed : row));
    const updated = await resettle(em, invoice, all, now);
    const data: InvoicePaymentReversed = {
      ...settlementData(updated),
      payment: paymentSnapshot(reversed, decimals),
      reason,
    };
    await enqueueEvent(em, invoiceLifecycleEvent(orgId, Subjects.InvoicePaymentReversed, invoiceId, data));
    return { row: reversed, decimals };
  });
  deps.logger.debug({ invoiceId, paymentId }, 'payment reversed');
  return toPayment(result.row, result.decimals);
}

/** Records money given back against a payment; answers the payment with its refunds. */
export async function refundPayment(
  deps: UseCaseDeps,
  orgId: string,
  invoiceId: string,
  paymentId: string,
  body: RecordRefundBody,
): Promise<Payment> {
  const result = await withLockedInvoice(deps, orgId, invoiceId, async (em, invoice) => {
    const decimals = minorUnitsOf(invoice.currency);
    const payments = await listPaymentRows(em, invoiceId);
    const payment = paymentOf(payments, paymentId);
    assertPaymentAdjustable(invoice.status);
    const amount = parseAmount(body.amount, '/amount', decimals);
    assertRefundable({ ...payment, reversed: payment.reversedAt !== null }, amount, decimals);
    const now = new Date();
    const refund = {
      id: newId(),
      paymentId,
      amount: fixed(amount, decimals),
      date: body.date,
      reference: body.reference ?? null,
      note: body.note ?? null,
      createdAt: now,
    };
    await insertRefund(em, orgId, refund);
    const refunded: PaymentRow = {
      ...payment,
      refunded: fixed(new Dec(payment.refunded).plus(amount), decimals),
      refunds: [...payment.refunds, refund],
    };
    const all = payments.map((row) => (row.id === paymentId ? refunded : row));
    const updated = await resettle(em, invoice, all, now);
    const data: InvoiceRefundRecorded = {
      ...settlementData(updated),
      payment: paymentSnapshot(refunded, decimals),
      refund: { id: refund.id, amount: refund.amount, date: refund.date },
    };
    await enqueueEvent(em, invoiceLifecycleEvent(orgId, Subjects.InvoiceRefundRecorded, invoiceId, data));
    return { row: refunded, decimals };
  });
  deps.logger.debug({ invoiceId, paymentId }, 'refund recorded');
  return toPayment(result.row, result.decimals);
}

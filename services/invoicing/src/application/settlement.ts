/**
 * What the lifecycle use cases share: the invoice locked for the length of a transaction, and its
 * sums and status recomputed from all its payments and credit notes (domain/settlement.ts,
 * domain/invoice-status.ts), with `invoicing.invoice.paid.v1` when it has just become paid.
 */
import { Subjects, type InvoicePaid } from '@invoice/contracts';
import { inTransaction, type EntityManager } from '@invoice/platform-db';
import { enqueueEvent } from '@invoice/platform-outbox';
import { settledStatus } from '../domain/invoice-status.ts';
import { Dec, fixed } from '../domain/money/decimal.ts';
import { minorUnitsOf } from '../domain/pricing.ts';
import { settle } from '../domain/settlement.ts';
import type { UseCaseDeps } from '../deps.ts';
import type { InvoiceRow } from '../db/invoice.entity.ts';
import { findInvoice } from '../db/invoices.repository.ts';
import { updateIssuedInvoice } from '../db/lifecycle.repository.ts';
import type { PaymentRow } from '../db/payments.repository.ts';
import { invoiceLifecycleEvent } from './invoice-events.ts';
import { invoiceNotFound } from './guards.ts';

/** Runs `work` in one transaction with the organization's invoice locked (404 when there is none). */
export async function withLockedInvoice<T>(
  deps: UseCaseDeps,
  orgId: string,
  id: string,
  work: (em: EntityManager, invoice: InvoiceRow) => Promise<T>,
): Promise<T> {
  return inTransaction(deps.orm, async (em) => {
    const invoice = await findInvoice(em, orgId, id, { lock: true });
    if (!invoice) throw invoiceNotFound();
    return work(em, invoice);
  });
}

/** BT-115 as issued: gross − prepaid + rounding (BR-CO-16), before payments and credit notes. */
export function payableOf(invoice: InvoiceRow): string {
  const decimals = minorUnitsOf(invoice.currency);
  return fixed(
    new Dec(invoice.totalGross).minus(new Dec(invoice.totalPrepaid)).plus(new Dec(invoice.totalRounding)),
    decimals,
  );
}

/** The settlement part of every lifecycle event. */
export function settlementData(invoice: InvoiceRow) {
  const decimals = minorUnitsOf(invoice.currency);
  const money = (value: string) => fixed(new Dec(value), decimals);
  return {
    invoiceId: invoice.id,
    number: invoice.number ?? '',
    status: invoice.status,
    currency: invoice.currency,
    gross: money(invoice.totalGross),
    paid: money(invoice.totalPaid),
    credited: money(invoice.totalCredited),
    due: money(invoice.totalDue),
  };
}

/**
 * Recomputes the locked invoice's sums and status from its payments (and `credited`), writes them,
 * and enqueues `invoicing.invoice.paid.v1` when it has just become paid. Returns the invoice as written.
 */
export async function resettle(
  em: EntityManager,
  invoice: InvoiceRow,
  payments: readonly PaymentRow[],
  now: Date,
  credited = invoice.totalCredited,
): Promise<InvoiceRow> {
  const decimals = minorUnitsOf(invoice.currency);
  const amounts = payments.map((payment) => ({ ...payment, reversed: payment.reversedAt !== null }));
  const settlement = settle(payableOf(invoice), amounts, credited, decimals);
  const status = settledStatus(invoice.status, settlement);
  const changes = {
    status,
    totalPaid: settlement.paid,
    totalCredited: settlement.credited,
    creditBalance: settlement.creditBalance,
    totalDue: settlement.due,
    paidAt: status === 'paid' ? (invoice.paidAt ?? now) : null,
    updatedAt: now,
  };
  const version = await updateIssuedInvoice(em, invoice.id, changes);
  const updated: InvoiceRow = { ...invoice, ...changes, version };
  if (status === 'paid' && invoice.status !== 'paid') {
    const data: InvoicePaid = { ...settlementData(updated), paidAt: now.toISOString() };
    await enqueueEvent(em, invoiceLifecycleEvent(invoice.orgId, Subjects.InvoicePaid, invoice.id, data));
  }
  return updated;
}

/**
 * Payments and refunds in explicit SQL, always inside the caller's transaction that holds the
 * invoice's row lock (so the sums written back to the invoice are computed from a stable set).
 */
import { qualified, type EntityManager } from '@invoice/platform-db';
import type { PaymentMethod } from '@invoice/contracts';

/** A refund recorded against a payment. */
export interface RefundRow {
  id: string;
  paymentId: string;
  amount: string;
  date: string;
  reference: string | null;
  note: string | null;
  createdAt: Date;
}

/** A payment row with its refunds (oldest first). */
export interface PaymentRow {
  id: string;
  orgId: string;
  invoiceId: string;
  amount: string;
  creditBalance: string;
  refunded: string;
  date: string;
  method: PaymentMethod;
  reference: string | null;
  note: string | null;
  reversedAt: Date | null;
  reversalReason: string | null;
  createdAt: Date;
  refunds: RefundRow[];
}

const PAYMENT_SELECT = `p.id, p.org_id as "orgId", p.invoice_id as "invoiceId", p.amount::text as amount,
  p.credit_balance::text as "creditBalance", p.refunded::text as refunded, to_char(p.date, 'YYYY-MM-DD') as date,
  p.method, p.reference, p.note, p.reversed_at as "reversedAt", p.reversal_reason as "reversalReason",
  p.created_at as "createdAt"`;

function refundsJsonSql(em: EntityManager): string {
  return `(select coalesce(json_agg(json_build_object('id', r.id, 'paymentId', r.payment_id,
      'amount', r.amount::text, 'date', to_char(r.date, 'YYYY-MM-DD'), 'reference', r.reference, 'note', r.note,
      'createdAt', r.created_at) order by r.created_at, r.id), '[]')
    from ${qualified(em, 'payment_refunds')} r where r.payment_id = p.id)`;
}

function toPaymentRow(raw: Record<string, unknown>): PaymentRow {
  const { refundsJson, ...columns } = raw;
  const row = columns as unknown as PaymentRow;
  const refunds = (typeof refundsJson === 'string' ? JSON.parse(refundsJson) : refundsJson) as RefundRow[];
  return {
    ...row,
    reversedAt: row.reversedAt ? new Date(row.reversedAt) : null,
    createdAt: new Date(row.createdAt),
    refunds: refunds.map((refund) => ({ ...refund, createdAt: new Date(refund.createdAt) })),
  };
}

/** Every payment of an invoice with its refunds, oldest first. */
export async function listPaymentRows(em: EntityManager, invoiceId: string): Promise<PaymentRow[]> {
  const rows = await em.execute<Record<string, unknown>[]>(
    `select ${PAYMENT_SELECT}, ${refundsJsonSql(em)} as "refundsJson"
     from ${qualified(em, 'payments')} p where p.invoice_id = ? order by p.created_at, p.id`,
    [invoiceId],
  );
  return rows.map(toPaymentRow);
}

/** Inserts a new payment. */
export async function insertPayment(em: EntityManager, row: Omit<PaymentRow, 'refunds'>): Promise<void> {
  await em.execute(
    `insert into ${qualified(em, 'payments')} (id, org_id, invoice_id, amount, credit_balance, refunded, date,
       method, reference, note, reversed_at, reversal_reason, created_at)
     values (?, ?, ?, ?, ?, ?, ?::date, ?, ?, ?, null, null, ?::timestamptz)`,
    [
      row.id,
      row.orgId,
      row.invoiceId,
      row.amount,
      row.creditBalance,
      row.refunded,
      row.date,
      row.method,
      row.reference,
      row.note,
      row.createdAt.toISOString(),
    ],
  );
}

/** Marks a payment reversed (it stays in the history). */
export async function markPaymentReversed(
  em: EntityManager,
  paymentId: string,
  reason: string,
  at: Date,
): Promise<void> {
  await em.execute(
    `update ${qualified(em, 'payments')} set reversed_at = ?::timestamptz, reversal_reason = ? where id = ?`,
    [at.toISOString(), reason, paymentId],
  );
}

/** Records a refund and adds it to the payment's refunded sum. */
export async function insertRefund(em: EntityManager, orgId: string, refund: RefundRow): Promise<void> {
  await em.execute(
    `with refund as (
       insert into ${qualified(em, 'payment_refunds')} (id, org_id, payment_id, amount, date, reference, note, created_at)
       values (?, ?, ?, ?, ?::date, ?, ?, ?::timestamptz) returning payment_id, amount
     )
     update ${qualified(em, 'payments')} p set refunded = p.refunded + refund.amount from refund where p.id = refund.payment_id`,
    [
      refund.id,
      orgId,
      refund.paymentId,
      refund.amount,
      refund.date,
      refund.reference,
      refund.note,
      refund.createdAt.toISOString(),
    ],
  );
}

/** Envelopes of the events the invoicing service writes to its outbox. */
import {
  createEnvelope,
  Subjects,
  type EventEnvelope,
  type InvoiceIssued,
  type InvoiceSendRequested,
  type InvoiceSnapshot,
  type Totals,
} from '@invoice/contracts';

const SOURCE = 'invoicing';

/** A draft was created or edited (`totals`), or deleted. */
export function invoiceUpdatedEvent(
  orgId: string,
  invoiceId: string,
  change: { totals: Totals } | { deleted: true },
): EventEnvelope {
  return createEnvelope({
    type: Subjects.InvoiceUpdated,
    source: SOURCE,
    orgId,
    subject: invoiceId,
    data: { invoiceId, status: 'draft', ...change },
  });
}

/** An invoice was issued: the full frozen snapshot. */
export function invoiceIssuedEvent(orgId: string, invoice: InvoiceSnapshot): EventEnvelope<InvoiceIssued> {
  return createEnvelope({
    type: Subjects.InvoiceIssued,
    source: SOURCE,
    orgId,
    subject: invoice.id,
    data: { invoice },
  });
}

/** Someone asked to email an issued invoice. */
export function invoiceSendRequestedEvent(
  orgId: string,
  data: InvoiceSendRequested,
): EventEnvelope<InvoiceSendRequested> {
  return createEnvelope({
    type: Subjects.InvoiceSendRequested,
    source: SOURCE,
    orgId,
    subject: data.invoiceId,
    data,
  });
}

/** An event about an issued invoice's lifecycle (payment, reversal, refund, paid, voided, credit note); `subject` is the aggregate id. */
export function invoiceLifecycleEvent<T>(
  orgId: string,
  type:
    | typeof Subjects.InvoicePaymentRecorded
    | typeof Subjects.InvoicePaymentReversed
    | typeof Subjects.InvoiceRefundRecorded
    | typeof Subjects.InvoicePaid
    | typeof Subjects.InvoiceVoided
    | typeof Subjects.CreditNoteIssued
    | typeof Subjects.InvoiceOverdue
    | typeof Subjects.InvoiceReminderDue,
  subject: string,
  data: T,
): EventEnvelope<T> {
  return createEnvelope({ type, source: SOURCE, orgId, subject, data });
}

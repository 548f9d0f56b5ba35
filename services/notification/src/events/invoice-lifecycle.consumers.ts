/**
 * Invoice lifecycle emails: `invoicing.invoice.reminder-due.v1` → one `invoice-reminder` email with
 * the invoice PDF of the named version attached (waiting for it like an invoice email), and
 * `invoicing.invoice.payment-recorded.v1` → a `payment-receipt` when the event carries a receipt
 * (the organization sends them). Once per event: the inbox row and the email commit together.
 */
import { newId, Subjects, type InvoicePaymentRecorded, type InvoiceReminderDue } from '@invoice/contracts';
import type { ConsumerDefinition } from '@invoice/platform-bus';
import { insertEmail } from '../db/emails.repository.ts';
import { idempotencyKey } from '../domain/email.ts';
import { initialStatus, needsJob } from '../domain/email-status.ts';
import type {
  InvoiceReminderPayload,
  PaymentReceiptPayload,
} from '../templates/invoice-lifecycle.templates.ts';
import { emailSubject } from '../templates/index.ts';
import {
  INVOICE_EVENT_CONCURRENCY,
  recordDocumentEmail,
  recordOnce,
  type ConsumerDeps,
} from './record-emails.ts';

const REMINDER_DURABLE = 'notification-invoice-reminder-due';
const RECEIPT_DURABLE = 'notification-invoice-payment-recorded';

/** The reminder email of an overdue invoice, with its PDF. */
export function invoiceReminderDueConsumer(deps: ConsumerDeps): ConsumerDefinition<InvoiceReminderDue> {
  const template = 'invoice-reminder';
  return {
    durable: REMINDER_DURABLE,
    subject: Subjects.InvoiceReminderDue,
    concurrency: INVOICE_EVENT_CONCURRENCY,
    async handle(event, context) {
      const { data } = event;
      const payload: InvoiceReminderPayload = {
        number: data.number,
        reminder: data.reminder,
        sellerName: data.sellerName,
        buyerName: data.buyerName,
        due: data.due,
        currency: data.currency,
        dueDate: data.dueDate,
        daysOverdue: data.daysOverdue,
      };
      await recordDocumentEmail(deps, REMINDER_DURABLE, event, context, {
        template,
        payload,
        to: data.to,
        invoiceId: data.invoiceId,
        documentVersion: data.documentVersion,
      });
    },
  };
}

/** The payment receipt, when the organization sends them. */
export function paymentReceiptConsumer(deps: ConsumerDeps): ConsumerDefinition<InvoicePaymentRecorded> {
  const template = 'payment-receipt';
  return {
    durable: RECEIPT_DURABLE,
    subject: Subjects.InvoicePaymentRecorded,
    concurrency: INVOICE_EVENT_CONCURRENCY,
    async handle(event, context) {
      const { data } = event;
      const { receipt } = data;
      if (!receipt) return;
      const payload: PaymentReceiptPayload = {
        number: data.number,
        sellerName: receipt.sellerName,
        buyerName: receipt.buyerName,
        amount: data.payment.amount,
        date: data.payment.date,
        due: data.due,
        currency: data.currency,
      };
      await recordOnce(deps, RECEIPT_DURABLE, event, context, async (em) => {
        const id = newId();
        const status = await insertEmail(em, {
          id,
          orgId: event.orgid,
          idempotencyKey: idempotencyKey(event.id, template),
          template,
          to: receipt.to,
          subject: emailSubject(template, payload),
          status: initialStatus({ waitsForDocument: false }),
          invoiceId: data.invoiceId,
          payload,
        });
        context.logger.info({ emailId: id, invoiceId: data.invoiceId }, 'payment receipt recorded');
        return status && needsJob(status) ? [id] : [];
      });
    },
  };
}

/**
 * `invoicing.invoice.send-requested.v1` → one `invoice` (or `credit-note`) email to all recipients. It waits for the
 * rendered PDF (`waiting_for_document`) unless this service already knows the document.
 */
import { Subjects, type InvoiceSendRequested } from '@invoice/contracts';
import type { ConsumerDefinition } from '@invoice/platform-bus';
import type { CreditNotePayload } from '../templates/invoice-lifecycle.templates.ts';
import type { InvoicePayload } from '../templates/invoice.template.ts';
import { INVOICE_EVENT_CONCURRENCY, recordDocumentEmail, type ConsumerDeps } from './record-emails.ts';

const DURABLE = 'notification-invoice-send-requested';

/** The template and payload of a send request: an invoice, or a credit note (`documentType`). */
function emailOf(data: InvoiceSendRequested): {
  template: 'invoice' | 'credit-note';
  payload: InvoicePayload | CreditNotePayload;
} {
  const parties = { number: data.number, sellerName: data.sellerName, buyerName: data.buyerName };
  if (data.documentType === 'credit_note') {
    const payload: CreditNotePayload = {
      ...parties,
      gross: data.gross,
      currency: data.currency,
      ...(data.creditedNumber ? { creditedNumber: data.creditedNumber } : {}),
    };
    return { template: 'credit-note', payload };
  }
  const payload: InvoicePayload = {
    ...parties,
    gross: data.gross,
    due: data.due,
    currency: data.currency,
    ...(data.dueDate ? { dueDate: data.dueDate } : {}),
  };
  return { template: 'invoice', payload };
}

/** Recipients without case-insensitive duplicates, in their given order. */
function uniqueRecipients(to: readonly string[]): string[] {
  const seen = new Set<string>();
  return to.filter((address) => {
    const key = address.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The consumer definition. */
export function invoiceSendRequestedConsumer(deps: ConsumerDeps): ConsumerDefinition<InvoiceSendRequested> {
  return {
    durable: DURABLE,
    subject: Subjects.InvoiceSendRequested,
    concurrency: INVOICE_EVENT_CONCURRENCY,
    async handle(event, context) {
      const { data } = event;
      const { template, payload } = emailOf(data);
      await recordDocumentEmail(deps, DURABLE, event, context, {
        template,
        payload,
        to: uniqueRecipients(data.to),
        invoiceId: data.invoiceId,
        documentVersion: data.documentVersion,
        createdBy: data.createdBy,
      });
    },
  };
}

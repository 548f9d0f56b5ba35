/**
 * `invoicing.quote.sent.v1` → one `quote` email to all recipients with the quote's PDF attached. It
 * waits for the rendered PDF (`waiting_for_document`) unless this service already knows the document.
 */
import { Subjects, type QuoteSent } from '@invoice/contracts';
import type { ConsumerDefinition } from '@invoice/platform-bus';
import type { QuotePayload } from '../templates/quote.template.ts';
import { INVOICE_EVENT_CONCURRENCY, recordDocumentEmail, type ConsumerDeps } from './record-emails.ts';

const DURABLE = 'notification-quote-sent';

/** The consumer definition. */
export function quoteSentConsumer(deps: ConsumerDeps): ConsumerDefinition<QuoteSent> {
  return {
    durable: DURABLE,
    subject: Subjects.QuoteSent,
    concurrency: INVOICE_EVENT_CONCURRENCY,
    async handle(event, context) {
      const { data } = event;
      const payload: QuotePayload = {
        number: data.number,
        sellerName: data.sellerName,
        buyerName: data.buyerName,
        gross: data.gross,
        currency: data.currency,
        validUntil: data.validUntil,
      };
      await recordDocumentEmail(deps, DURABLE, event, context, {
        template: 'quote',
        payload,
        // Invoicing lower-cases and de-duplicates the recipients of a send.
        to: data.to,
        // The email log names the document it attaches by its source id: the quote's.
        invoiceId: data.quote.id,
        documentVersion: data.quote.version,
        createdBy: data.createdBy,
      });
    },
  };
}

/** `notification.email.delivered.v1` about an invoice → its `last_sent_at`. */
import { Subjects, type EmailDelivered } from '@invoice/contracts';
import type { ConsumerDefinition } from '@invoice/platform-bus';
import { recordEmailDelivered } from '../db/invoices.repository.ts';
import type { ConsumerDeps } from './consumer-deps.ts';

export const EMAIL_DELIVERED_DURABLE = 'invoicing-email-delivered';

export function emailDeliveredConsumer(deps: ConsumerDeps): ConsumerDefinition<EmailDelivered> {
  return {
    durable: EMAIL_DELIVERED_DURABLE,
    subject: Subjects.EmailDelivered,
    async handle(event, { logger }) {
      const invoiceId = event.data.invoiceId;
      if (!invoiceId) return; // not an invoice email (verification, reset, invitation…)
      // Deliveries can be processed out of order: the latest time is kept. Applying an event again
      // changes nothing, so no inbox row is needed: one statement, committed on its own.
      await recordEmailDelivered(deps.orm.em.fork(), event.orgid, invoiceId, event.time);
      logger.info({ invoiceId, emailId: event.data.emailId }, 'invoice email delivered');
    },
  };
}

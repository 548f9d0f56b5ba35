/** `notification.email.delivered.v1` about an invoice → its `last_sent_at`. */
import { Subjects, type EmailDelivered } from '@invoice/contracts';
import type { ConsumerDefinition } from '@invoice/platform-bus';
import { qualified } from '@invoice/platform-db';
import { handleOnce } from '@invoice/platform-outbox';
import type { ConsumerDeps } from './consumer-deps.ts';

export const EMAIL_DELIVERED_DURABLE = 'invoicing-email-delivered';

export function emailDeliveredConsumer(deps: ConsumerDeps): ConsumerDefinition<EmailDelivered> {
  return {
    durable: EMAIL_DELIVERED_DURABLE,
    subject: Subjects.EmailDelivered,
    async handle(event, { logger }) {
      const invoiceId = event.data.invoiceId;
      if (!invoiceId) return; // not an invoice email (verification, reset, invitation…)
      await handleOnce(deps.orm, EMAIL_DELIVERED_DURABLE, event, async (em) => {
        // Deliveries can be processed out of order: keep the latest.
        await em.execute(
          `update ${qualified(em, 'invoices')} set last_sent_at = greatest(coalesce(last_sent_at, ?::timestamptz), ?::timestamptz)
           where id = ? and org_id = ?`,
          [event.time, event.time, invoiceId, event.orgid],
        );
      });
      logger.info({ invoiceId, emailId: event.data.emailId }, 'invoice email delivered');
    },
  };
}

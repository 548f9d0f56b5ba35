/** Every subject the notification service consumes, with its durable name (one file each). */
import type { ConsumerDefinition } from '@invoice/platform-bus';
import { documentRenderFailedConsumer } from './document-render-failed.consumer.ts';
import { documentRenderedConsumer } from './document-rendered.consumer.ts';
import { emailVerificationRequestedConsumer } from './email-verification-requested.consumer.ts';
import { invoiceReminderDueConsumer, paymentReceiptConsumer } from './invoice-lifecycle.consumers.ts';
import { invoiceSendRequestedConsumer } from './invoice-send-requested.consumer.ts';
import { passwordResetRequestedConsumer } from './password-reset-requested.consumer.ts';
import { quoteSentConsumer } from './quote-sent.consumer.ts';
import type { ConsumerDeps } from './record-emails.ts';
import { teamEmailConsumers } from './team-emails.consumers.ts';

/** The consumers, for runService. */
export function consumers(deps: ConsumerDeps): ConsumerDefinition[] {
  return [
    emailVerificationRequestedConsumer(deps),
    passwordResetRequestedConsumer(deps),
    invoiceSendRequestedConsumer(deps),
    invoiceReminderDueConsumer(deps),
    paymentReceiptConsumer(deps),
    documentRenderedConsumer(deps),
    documentRenderFailedConsumer(deps),
    quoteSentConsumer(deps),
    ...teamEmailConsumers(deps),
  ] as ConsumerDefinition[];
}

/**
 * `document.render-failed.v1` → the invoice emails waiting for that document can never be sent:
 * they end as `failed` (with `email.failed`) instead of waiting forever. A new send request after
 * a successful re-render creates a new email.
 */
import { Subjects, type DocumentRenderFailedSchema } from '@invoice/contracts';
import type { Static } from 'typebox';
import type { ConsumerDefinition } from '@invoice/platform-bus';
import { enqueueEvent } from '@invoice/platform-outbox';
import { invoiceDocumentLock } from '../db/documents.repository.ts';
import { failWaitingFor } from '../db/emails.repository.ts';
import { errorSummary } from '../domain/email.ts';
import { emailFailedEvent } from '../workers/email-outcome.ts';
import { INVOICE_EVENT_CONCURRENCY, recordOnce, type ConsumerDeps } from './record-emails.ts';

const DURABLE = 'notification-document-render-failed';

type DocumentRenderFailed = Static<typeof DocumentRenderFailedSchema>;

/** The consumer definition. */
export function documentRenderFailedConsumer(deps: ConsumerDeps): ConsumerDefinition<DocumentRenderFailed> {
  return {
    durable: DURABLE,
    subject: Subjects.DocumentRenderFailed,
    concurrency: INVOICE_EVENT_CONCURRENCY,
    async handle(event, context) {
      const { data } = event;
      const reason = errorSummary(`document rendering failed: ${data.reason}`);
      await recordOnce(
        deps,
        DURABLE,
        event,
        context,
        async (em) => {
          const failed = await failWaitingFor(em, event.orgid, data.sourceId, data.version, reason);
          for (const row of failed) await enqueueEvent(em, emailFailedEvent(row, reason));
          context.logger.info(
            { sourceId: data.sourceId, version: data.version, failed: failed.length },
            'render failure recorded',
          );
          return [];
        },
        invoiceDocumentLock(data.sourceId, data.version),
      );
    },
  };
}

/** `document.rendered.v1` → remember the PDF and queue the emails that were waiting for it. */
import { Subjects, type DocumentRendered } from '@invoice/contracts';
import type { ConsumerDefinition } from '@invoice/platform-bus';
import { invoiceDocumentLock, upsertDocument } from '../db/documents.repository.ts';
import { queueWaitingFor } from '../db/emails.repository.ts';
import { INVOICE_EVENT_CONCURRENCY, recordOnce, type ConsumerDeps } from './record-emails.ts';

const DURABLE = 'notification-document-rendered';

/** The consumer definition. */
export function documentRenderedConsumer(deps: ConsumerDeps): ConsumerDefinition<DocumentRendered> {
  return {
    durable: DURABLE,
    subject: Subjects.DocumentRendered,
    concurrency: INVOICE_EVENT_CONCURRENCY,
    async handle(event, context) {
      const { data } = event;
      await recordOnce(
        deps,
        DURABLE,
        event,
        context,
        async (em) => {
          await upsertDocument(em, {
            orgId: event.orgid,
            sourceId: data.sourceId,
            version: data.version,
            bucket: data.bucket,
            key: data.key,
            sha256: data.sha256,
            number: data.number,
          });
          const queued = await queueWaitingFor(em, event.orgid, data.sourceId, data.version);
          context.logger.info(
            { sourceId: data.sourceId, version: data.version, queued: queued.length },
            'document recorded',
          );
          return queued;
        },
        invoiceDocumentLock(data.sourceId, data.version),
      );
    },
  };
}

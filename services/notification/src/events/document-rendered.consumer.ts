/** `document.rendered.v1` → remember the PDF and queue the emails that were waiting for it. */
import { Subjects, type DocumentRendered } from '@invoice/contracts';
import { PermanentError, type ConsumerDefinition } from '@invoice/platform-bus';
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
      // Defence in depth: only the configured bucket and the event's own organization's prefix are
      // ever read (document keys are `orgs/{orgId}/…`); anything else is terminated, nothing read.
      if (data.bucket !== deps.config.S3_BUCKET)
        throw new PermanentError(`document names bucket ${data.bucket}, not the configured one`);
      if (!data.key.startsWith(`orgs/${event.orgid.toLowerCase()}/`) || data.key.includes('..'))
        throw new PermanentError(`document key ${data.key} is outside orgs/${event.orgid}/`);
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

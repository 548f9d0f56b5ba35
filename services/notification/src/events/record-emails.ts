/**
 * The shape every consumer shares: the inbox row and the email rows commit together (a redelivery
 * changes nothing), then the emails that became `queued` get their jobs.
 */
import { newId, type EventEnvelope } from '@invoice/contracts';
import type { ConsumerContext } from '@invoice/platform-bus';
import type { EntityManager, MikroORM } from '@invoice/platform-db';
import { handleOnce } from '@invoice/platform-outbox';
import { documentExists, invoiceDocumentLock } from '../db/documents.repository.ts';
import { insertEmail } from '../db/emails.repository.ts';
import { initialStatus, needsJob } from '../domain/email-status.ts';
import { idempotencyKey } from '../domain/email.ts';
import { emailSubject } from '../templates/index.ts';
import type { EmailEnqueuer } from '../workers/email-queue.ts';

/**
 * Events of the invoice-email consumers handled at once. Their effects on one invoice version are
 * serialized by its advisory lock (`invoiceDocumentLock`, taken with the inbox row), so events of different invoices need not
 * wait for each other's round trips.
 */
export const INVOICE_EVENT_CONCURRENCY = 8;

/** What the consumers need. */
export interface ConsumerDeps {
  orm: MikroORM;
  enqueuer: EmailEnqueuer;
  /** S3_BUCKET: the one bucket a document event may name (see document-rendered.consumer.ts). */
  config: { APP_URL: string; S3_BUCKET: string; BUS_TOKEN_KEY: string };
}

/**
 * Runs `effect` once per event and enqueues the ids of the emails it queued, after the commit.
 * `lock` (see `invoiceDocumentLock`) is taken with the inbox row, before the effect.
 */
export async function recordOnce(
  deps: ConsumerDeps,
  consumer: string,
  event: EventEnvelope,
  context: ConsumerContext,
  effect: (em: EntityManager) => Promise<string[]>,
  lock?: string,
): Promise<void> {
  let queued: string[] = [];
  const first = await handleOnce(
    deps.orm,
    consumer,
    event,
    async (em) => {
      queued = await effect(em);
    },
    lock === undefined ? {} : { lock },
  );
  if (!first) {
    context.logger.info('event already handled');
    return;
  }
  await deps.enqueuer.enqueueAfterCommit(queued);
}

/** An email that attaches one version of an invoice's document (the invoice, a reminder, a credit note). */
export interface DocumentEmail {
  template: string;
  payload: Record<string, unknown>;
  to: string[];
  invoiceId: string;
  documentVersion: number;
  /** The member who created the invoice (who may see the email without `all_invoices_access`). */
  createdBy?: string | undefined;
}

/**
 * Records, once per event, an email that attaches a document version: `queued` when this service
 * already knows the document, otherwise waiting for it (`document.rendered.v1` queues it). The
 * document's advisory lock, taken with the inbox row, serializes it with that event.
 */
export async function recordDocumentEmail(
  deps: ConsumerDeps,
  consumer: string,
  event: EventEnvelope,
  context: ConsumerContext,
  email: DocumentEmail,
): Promise<void> {
  const { template, payload, invoiceId, documentVersion } = email;
  await recordOnce(
    deps,
    consumer,
    event,
    context,
    async (em) => {
      const ready = await documentExists(em, event.orgid, invoiceId, documentVersion);
      const id = newId();
      const status = await insertEmail(em, {
        id,
        orgId: event.orgid,
        idempotencyKey: idempotencyKey(event.id, template),
        template,
        to: email.to,
        subject: emailSubject(template, payload),
        status: initialStatus({ waitsForDocument: !ready }),
        invoiceId,
        documentVersion,
        payload,
        createdBy: email.createdBy,
      });
      context.logger.info({ emailId: id, invoiceId, template, status }, 'document email recorded');
      return status && needsJob(status) ? [id] : [];
    },
    invoiceDocumentLock(invoiceId, documentVersion),
  );
}

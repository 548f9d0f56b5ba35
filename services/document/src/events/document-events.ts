/** The events this service publishes (`document.rendered.v1`, `document.render-failed.v1`). */
import {
  Subjects,
  createEnvelope,
  validateEvent,
  type DocumentRendered,
  type EventEnvelope,
} from '@invoice/contracts';
import type { EntityManager } from '@invoice/platform-db';
import { enqueueEvent } from '@invoice/platform-outbox';
import type { DocumentRow } from '../db/document.entity.ts';

/** The stored file an event announces. */
export interface StoredFile {
  bucket: string;
  sha256: string;
  size: number;
}

/** `document.rendered.v1`: the PDF is in S3 and can be downloaded or attached. */
export function renderedEvent(document: DocumentRow, file: StoredFile): EventEnvelope<DocumentRendered> {
  return createEnvelope({
    type: Subjects.DocumentRendered,
    source: 'document',
    orgId: document.orgId,
    subject: document.id,
    data: {
      documentId: document.id,
      sourceType: document.sourceType as DocumentRendered['sourceType'],
      sourceId: document.sourceId,
      number: document.number,
      version: document.version,
      bucket: file.bucket,
      key: document.s3Key,
      sha256: file.sha256,
      size: file.size,
      contentType: 'application/pdf',
    },
  });
}

/** `document.render-failed.v1`: the document can never be rendered from its data. */
export function renderFailedEvent(document: DocumentRow, reason: string): EventEnvelope {
  return createEnvelope({
    type: Subjects.DocumentRenderFailed,
    source: 'document',
    orgId: document.orgId,
    subject: document.id,
    data: {
      documentId: document.id,
      sourceType: document.sourceType,
      sourceId: document.sourceId,
      version: document.version,
      reason,
    },
  });
}

// WORKAROUND (contracts bug, reported): EnvelopeAttributesSchema.type demands
// <service>.<aggregate>.<event>.v<n>, which the contract's own subjects `document.rendered.v1` and
// `document.render-failed.v1` do not have, so `enqueueEvent` rejects them. Until the pattern
// accepts them, this is the only problem waived; everything else is still checked.
const TYPE_PATTERN_PROBLEM = /^\/type must match pattern/;

/** Contract problems of a document event, except the (wrong) envelope type pattern. */
export function documentEventProblems(envelope: EventEnvelope): string[] {
  return validateEvent(envelope.type, envelope).filter((problem) => !TYPE_PATTERN_PROBLEM.test(problem));
}

/** Writes a document event to the outbox inside the caller's transaction. */
export async function enqueueDocumentEvent(em: EntityManager, envelope: EventEnvelope): Promise<void> {
  if (validateEvent(envelope.type, envelope).length === 0) return enqueueEvent(em, envelope);
  if (!em.getTransactionContext()) throw new Error('enqueueDocumentEvent must run inside a transaction');
  const problems = documentEventProblems(envelope);
  if (problems.length > 0)
    throw new Error(`event ${envelope.type} breaks its contract: ${problems.join('; ')}`);
  await em.execute(
    `insert into "${em.config.get('schema')}"."outbox" (id, subject, payload) values (?, ?, ?)`,
    [envelope.id, envelope.type, JSON.stringify(envelope)],
  );
}

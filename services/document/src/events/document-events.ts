/** The events this service publishes (`document.rendered.v1`, `document.render-failed.v1`). */
import { Subjects, createEnvelope, type DocumentRendered, type EventEnvelope } from '@invoice/contracts';
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

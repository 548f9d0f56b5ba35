/** Maps a document row to its public shape (`DocumentSchema`). */
import type { DocumentView } from '@invoice/contracts';
import type { DocumentRow } from '../db/document.entity.ts';
import { hasFailed } from '../domain/document-status.ts';

/** The metadata clients see; the error text only once rendering failed for good. */
export function toDocumentView(row: DocumentRow): DocumentView {
  return {
    id: row.id,
    sourceType: row.sourceType as DocumentView['sourceType'],
    sourceId: row.sourceId,
    number: row.number,
    version: row.version,
    status: row.status,
    contentType: 'application/pdf',
    sha256: row.sha256 ?? null,
    size: row.size ?? null,
    attempts: row.attempts,
    error: hasFailed(row.status) ? (row.error ?? null) : null,
    createdAt: new Date(row.createdAt).toISOString(),
    renderedAt: row.renderedAt ? new Date(row.renderedAt).toISOString() : null,
  };
}

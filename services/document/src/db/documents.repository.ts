/** Reads and state changes of document rows (each call runs on the caller's entity manager). */
import { qualified, type EntityManager } from '@invoice/platform-db';
import type { SourceType } from '../domain/document-key.ts';
import { INITIAL_STATUS, PENDING_STATES, RENDERED, RENDER_FAILED } from '../domain/document-status.ts';
import { DocumentEntity, type DocumentRow } from './document.entity.ts';

/** What a new pending document is made of. */
export interface NewDocument {
  id: string;
  orgId: string;
  sourceType: SourceType;
  sourceId: string;
  number: string;
  version: number;
  source: Record<string, unknown>;
  s3Bucket: string;
  s3Key: string;
}

/**
 * Inserts a pending document unless this version of the source already has one (the same invoice
 * version published twice under different event ids). Returns the id of the row that exists now.
 */
export async function insertPendingDocument(em: EntityManager, doc: NewDocument): Promise<string> {
  const inserted = await em.execute<{ id: string }[]>(
    `insert into ${qualified(em, 'documents')} (id, org_id, source_type, source_id, number, version, status, source, s3_bucket, s3_key)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (org_id, source_type, source_id, version) do nothing
     returning id`,
    [
      doc.id,
      doc.orgId,
      doc.sourceType,
      doc.sourceId,
      doc.number,
      doc.version,
      INITIAL_STATUS,
      JSON.stringify(doc.source),
      doc.s3Bucket,
      doc.s3Key,
    ],
  );
  if (inserted[0]) return inserted[0].id;
  const existing = await findSourceVersion(em, doc);
  if (!existing) throw new Error('document insert conflicted but no row was found');
  return existing.id;
}

/** The document of one version of a source document, if there is one. */
export function findSourceVersion(
  em: EntityManager,
  key: Pick<NewDocument, 'orgId' | 'sourceType' | 'sourceId' | 'version'>,
): Promise<DocumentRow | null> {
  const { orgId, sourceType, sourceId, version } = key;
  return em.findOne(DocumentEntity, { orgId, sourceType, sourceId, version });
}

/** A document by id, whatever its organization (for workers, which act on ids from rows). */
export function findDocument(em: EntityManager, id: string): Promise<DocumentRow | null> {
  return em.findOne(DocumentEntity, { id });
}

/** A document by id inside one organization (HTTP: another organization's id is not found). */
export function findOrgDocument(em: EntityManager, orgId: string, id: string): Promise<DocumentRow | null> {
  return em.findOne(DocumentEntity, { id, orgId });
}

/** The fields the PDF route decides with (the snapshot itself stays in the database). */
export type DocumentSummary = Pick<DocumentRow, 'id' | 'version' | 'status' | 'number' | 's3Key'>;

/** Every version of a source document inside one organization, newest first. */
export async function findSourceDocuments(
  em: EntityManager,
  orgId: string,
  sourceId: string,
): Promise<DocumentSummary[]> {
  return em.find(
    DocumentEntity,
    { orgId, sourceId },
    { fields: ['id', 'version', 'status', 'number', 's3Key'], orderBy: { version: 'desc' } },
  );
}

/** Ids of the documents still to be rendered after `afterId`, in id order (the reconciler's pages). */
export async function pendingDocumentIds(
  em: EntityManager,
  afterId: string | undefined,
  limit: number,
): Promise<string[]> {
  const rows = await em.find(
    DocumentEntity,
    { status: { $in: [...PENDING_STATES] }, ...(afterId ? { id: { $gt: afterId } } : {}) },
    { fields: ['id'], orderBy: { id: 'asc' }, limit },
  );
  return rows.map((row) => row.id);
}

/** Counts a render attempt (before the work, so crashed attempts count too). */
export async function countAttempt(em: EntityManager, id: string): Promise<void> {
  await em.execute(
    `update ${qualified(em, 'documents')} set attempts = attempts + 1, updated_at = now() where id = ?`,
    [id],
  );
}

/** {@link RENDERED} with the stored file's digest; false when the row was no longer pending. */
export async function markReady(
  em: EntityManager,
  id: string,
  file: { bucket: string; sha256: string; size: number },
): Promise<boolean> {
  const now = new Date();
  const changed = await em.nativeUpdate(
    DocumentEntity,
    { id, status: { $in: [...RENDERED.from] } },
    {
      status: RENDERED.to,
      s3Bucket: file.bucket,
      sha256: file.sha256,
      size: file.size,
      error: null,
      renderedAt: now,
      updatedAt: now,
    },
  );
  return changed === 1;
}

/** {@link RENDER_FAILED} with the reason; false when the row was no longer pending. */
export async function markFailed(em: EntityManager, id: string, reason: string): Promise<boolean> {
  const changed = await em.nativeUpdate(
    DocumentEntity,
    { id, status: { $in: [...RENDER_FAILED.from] } },
    { status: RENDER_FAILED.to, error: reason.slice(0, 1000), updatedAt: new Date() },
  );
  return changed === 1;
}

/** Keeps the last transient error on a pending row (visible in the metadata while it retries). */
export async function recordTransientError(em: EntityManager, id: string, message: string): Promise<void> {
  await em.nativeUpdate(
    DocumentEntity,
    { id, status: { $in: [...PENDING_STATES] } },
    { error: message.slice(0, 1000), updatedAt: new Date() },
  );
}

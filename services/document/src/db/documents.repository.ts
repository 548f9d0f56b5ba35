/** Reads and state changes of document rows (each call runs on the caller's entity manager). */
import { qualified, type EntityManager } from '@invoice/platform-db';
import { outboxInsert, type OutboxRow } from '@invoice/platform-outbox';
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
 * The effect of one delivery of an issued event, in one statement: its inbox row (`consumer`,
 * `eventId`) and the pending document commit together. Returns the new row's id, or undefined when
 * nothing was written: a redelivery, or this version of the source already had its document.
 */
export async function insertPendingDocumentOnce(
  em: EntityManager,
  consumer: string,
  eventId: string,
  doc: NewDocument,
): Promise<string | undefined> {
  const rows = await em.execute<{ id: string }[]>(
    `with inbox as (
       insert into ${qualified(em, 'inbox')} (consumer, event_id) values (?, ?)
       on conflict do nothing returning event_id
     ), document as (
       insert into ${qualified(em, 'documents')} (id, org_id, source_type, source_id, number, version, status, source, s3_bucket, s3_key)
       select ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ? from inbox
       on conflict (org_id, source_type, source_id, version) do nothing
       returning id
     )
     select id from document`,
    [
      consumer,
      eventId,
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
  return rows[0]?.id;
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
export type DocumentSummary = Pick<DocumentRow, 'id' | 'version' | 'status' | 'number' | 's3Key'> & {
  /** The member who created the source document, from its snapshot (absent for older snapshots). */
  createdBy: string | null;
};

/** Every version of a source document inside one organization, newest first. */
export async function findSourceDocuments(
  em: EntityManager,
  orgId: string,
  sourceId: string,
): Promise<DocumentSummary[]> {
  return em.execute<DocumentSummary[]>(
    `select id, version, status, number, s3_key as "s3Key", source ->> 'createdBy' as "createdBy"
     from ${qualified(em, 'documents')} where org_id = ? and source_id = ? order by version desc`,
    [orgId, sourceId],
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

/**
 * Claims a document for a render attempt in one statement: counts the attempt (before the work, so
 * crashed attempts count too) and returns the row, or undefined when there is nothing to render
 * (unknown, or no longer pending).
 */
export async function claimForRendering(em: EntityManager, id: string): Promise<DocumentRow | undefined> {
  const rows = await em.execute<Record<string, unknown>[]>(
    `update ${qualified(em, 'documents')} set attempts = attempts + 1, updated_at = now()
     where id = ? and status in (?)
     returning *`,
    [id, [...PENDING_STATES]],
  );
  return rows[0] ? em.map(DocumentEntity, rows[0]) : undefined;
}

/**
 * {@link RENDERED} with the stored file's digest and, in the same statement, its event (written only
 * if the row changed). False when the row was no longer pending; on true the caller wakes the relays.
 */
export async function markReady(
  em: EntityManager,
  id: string,
  file: { bucket: string; sha256: string; size: number },
  event: OutboxRow,
): Promise<boolean> {
  const outbox = outboxInsert(em, event, 'ready');
  const rows = await em.execute<{ changed: number }[]>(
    `with ready as (
       update ${qualified(em, 'documents')}
       set status = ?, s3_bucket = ?, sha256 = ?, size = ?, error = null, rendered_at = now(), updated_at = now()
       where id = ? and status in (?)
       returning id
     ), event as (${outbox.sql})
     select count(*)::int as changed from ready`,
    [RENDERED.to, file.bucket, file.sha256, file.size, id, [...RENDERED.from], ...outbox.params],
  );
  return rows[0]?.changed === 1;
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

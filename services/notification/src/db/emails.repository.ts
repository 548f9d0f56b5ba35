/**
 * The email log's state changes, as single conditional SQL statements: each is one of the named
 * changes of the lifecycle (`domain/email-status.ts`) and applies only to a row in one of the
 * statuses it starts from, so concurrent consumers, workers and reconcilers cannot both win.
 */
import { qualified, type EntityManager } from '@invoice/platform-db';
import { outboxInsert, type OutboxRow } from '@invoice/platform-outbox';
import type { EmailStatus } from '../domain/email.ts';
import {
  CLAIMED,
  DELIVERED,
  DOCUMENT_ARRIVED,
  DOCUMENT_FAILED,
  GAVE_UP,
  IN_FLIGHT_STATES,
  PENDING_STATES,
  RELEASED,
  type InitialEmailStatus,
} from '../domain/email-status.ts';
import { Email, type EmailRecord } from './email.entity.ts';

/** An email row as the worker and the events need it. */
export interface EmailRow {
  id: string;
  org_id: string;
  template: string;
  to: string[];
  subject: string;
  status: EmailStatus;
  attempts: number;
  invoice_id: string | null;
  document_version: number | null;
  payload: Record<string, unknown>;
}

const ROW = `id, org_id, template, "to", subject, status, attempts, invoice_id, document_version, payload`;

/** What a consumer records. */
export interface NewEmail {
  id: string;
  orgId: string;
  idempotencyKey: string;
  template: string;
  to: string[];
  subject: string;
  status: InitialEmailStatus;
  invoiceId?: string;
  documentVersion?: number;
  payload: Record<string, unknown>;
  /** The member who created the invoice the email is about. */
  createdBy?: string | undefined;
}

/** Inserts an email unless its idempotency key exists. Returns the new row's status, or undefined. */
export async function insertEmail(em: EntityManager, email: NewEmail): Promise<EmailStatus | undefined> {
  const rows = await em.execute<{ status: EmailStatus }[]>(
    `insert into ${qualified(em, 'emails')}
       (id, org_id, idempotency_key, template, "to", subject, status, invoice_id, document_version, payload, created_by)
     values (?, ?, ?, ?, array[?]::text[], ?, ?, ?, ?, ?::jsonb, ?)
     on conflict (idempotency_key) do nothing
     returning status`,
    [
      email.id,
      email.orgId,
      email.idempotencyKey,
      email.template,
      email.to,
      email.subject,
      email.status,
      email.invoiceId ?? null,
      email.documentVersion ?? null,
      JSON.stringify(email.payload),
      email.createdBy ?? null,
    ],
  );
  return rows[0]?.status;
}

/** {@link DOCUMENT_ARRIVED} for the emails waiting for this document; returns their ids. */
export async function queueWaitingFor(
  em: EntityManager,
  orgId: string,
  invoiceId: string,
  version: number,
): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(
    `update ${qualified(em, 'emails')} set status = ?, updated_at = now()
     where status in (?) and invoice_id = ? and document_version = ? and org_id = ?
     returning id`,
    [DOCUMENT_ARRIVED.to, [...DOCUMENT_ARRIVED.from], invoiceId, version, orgId],
  );
  return rows.map((row) => row.id);
}

/** Backstop for the reconciler: {@link DOCUMENT_ARRIVED} for every waiting email whose document is known. */
export async function queueAllWithDocuments(em: EntityManager): Promise<string[]> {
  const emails = qualified(em, 'emails');
  const rows = await em.execute<{ id: string }[]>(
    `update ${emails} e set status = ?, updated_at = now()
     from ${qualified(em, 'documents')} d
     where e.status in (?) and d.source_id = e.invoice_id
       and d.version = e.document_version and d.org_id = e.org_id
     returning e.id`,
    [DOCUMENT_ARRIVED.to, [...DOCUMENT_ARRIVED.from]],
  );
  return rows.map((row) => row.id);
}

/**
 * Takes an email for one delivery attempt ({@link CLAIMED}: `queued`, or `sending` left behind by a
 * crashed or stalled worker, becomes `sending`) and counts the attempt. Undefined when there is
 * nothing to send (already sent or failed, still waiting, or unknown).
 */
export async function claimForSending(em: EntityManager, id: string): Promise<EmailRow | undefined> {
  const rows = await em.execute<EmailRow[]>(
    `update ${qualified(em, 'emails')} set status = ?, attempts = attempts + 1, updated_at = now()
     where id = ? and status in (?)
     returning ${ROW}`,
    [CLAIMED.to, id, [...CLAIMED.from]],
  );
  return rows[0];
}

/**
 * {@link DELIVERED}, dropping secret payload fields, and its `email.delivered` event in the same
 * statement (written only if the row changed). False when it was not `sending` any more; on true
 * the caller wakes the relays.
 */
export async function markSent(
  em: EntityManager,
  id: string,
  providerMessageId: string,
  secretFields: readonly string[],
  event: OutboxRow,
): Promise<boolean> {
  const outbox = outboxInsert(em, event, 'sent');
  const rows = await em.execute<{ changed: number }[]>(
    `with sent as (
       update ${qualified(em, 'emails')}
       set status = ?, provider_message_id = ?, sent_at = now(), updated_at = now(), last_error = null,
           payload = payload - array[?]::text[]
       where id = ? and status in (?)
       returning id
     ), event as (${outbox.sql})
     select count(*)::int as changed from sent`,
    [DELIVERED.to, providerMessageId, [...secretFields], id, [...DELIVERED.from], ...outbox.params],
  );
  return rows[0]?.changed === 1;
}

/** {@link GAVE_UP}; drops secret payload fields. Undefined when it was already final. */
export async function markFailed(
  em: EntityManager,
  id: string,
  reason: string,
  secretFields: readonly string[],
): Promise<EmailRow | undefined> {
  const rows = await em.execute<EmailRow[]>(
    `update ${qualified(em, 'emails')}
     set status = ?, last_error = ?, updated_at = now(), payload = payload - array[?]::text[]
     where id = ? and status in (?)
     returning ${ROW}`,
    [GAVE_UP.to, reason, [...secretFields], id, [...GAVE_UP.from]],
  );
  return rows[0];
}

/** {@link RELEASED} after a transient failure, keeping the error for the log. */
export async function releaseForRetry(em: EntityManager, id: string, reason: string): Promise<void> {
  await em.execute(
    `update ${qualified(em, 'emails')} set status = ?, last_error = ?, updated_at = now()
     where id = ? and status in (?)`,
    [RELEASED.to, reason, id, [...RELEASED.from]],
  );
}

/**
 * Ids of the emails that must have a job, after `afterId` in id order (the reconciler's keyset
 * pages): every pending (`queued`) one, and in-flight (`sending`) ones a crashed worker abandoned
 * (untouched for `staleMs`).
 */
export async function pendingEmailIds(
  em: EntityManager,
  staleMs: number,
  afterId: string | undefined,
  limit: number,
): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(
    `select id from ${qualified(em, 'emails')}
     where (status in (?) or (status in (?) and updated_at < now() - (? * interval '1 millisecond')))
       and id > ?
     order by id
     limit ?`,
    [
      [...PENDING_STATES],
      [...IN_FLIGHT_STATES],
      staleMs,
      afterId ?? '00000000-0000-0000-0000-000000000000',
      limit,
    ],
  );
  return rows.map((row) => row.id);
}

/** {@link DOCUMENT_FAILED} for the emails of one (invoice, version) whose rendering failed for good. */
export async function failWaitingFor(
  em: EntityManager,
  orgId: string,
  invoiceId: string,
  version: number,
  reason: string,
): Promise<EmailRow[]> {
  return em.execute<EmailRow[]>(
    `update ${qualified(em, 'emails')} set status = ?, last_error = ?, updated_at = now()
     where status in (?) and invoice_id = ? and document_version = ? and org_id = ?
     returning ${ROW}`,
    [DOCUMENT_FAILED.to, reason, [...DOCUMENT_FAILED.from], invoiceId, version, orgId],
  );
}

/** Filters of the email log. */
export interface EmailLogFilter {
  invoiceId?: string | undefined;
  status?: EmailStatus | undefined;
  /** Only emails older than this id (the page cursor). */
  before?: string | undefined;
  /** Only the emails of invoices this member created (a caller without `all_invoices_access`). */
  createdBy?: string | undefined;
  limit: number;
}

/** A page of the organization's email log, newest first. */
export function listOrgEmails(
  em: EntityManager,
  orgId: string,
  filter: EmailLogFilter,
): Promise<EmailRecord[]> {
  const { invoiceId, status, before, createdBy, limit } = filter;
  return em.find(
    Email,
    {
      orgId,
      ...(createdBy ? { createdBy } : {}),
      ...(invoiceId ? { invoiceId } : {}),
      ...(status ? { status } : {}),
      ...(before ? { id: { $lt: before } } : {}),
    },
    { orderBy: { id: 'desc' }, limit },
  );
}

/** One email of the organization, if it is theirs. */
export function findOrgEmail(em: EntityManager, orgId: string, id: string): Promise<EmailRecord | null> {
  return em.findOne(Email, { id, orgId });
}

/**
 * The email log's state changes, as single conditional SQL statements: each transition names the
 * statuses it starts from, so concurrent consumers, workers and reconcilers cannot both win.
 */
import { qualified, type EntityManager } from '@invoice/platform-db';
import type { EmailStatus } from '../domain/email.ts';

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
  status: Extract<EmailStatus, 'queued' | 'waiting_for_document'>;
  invoiceId?: string;
  documentVersion?: number;
  payload: Record<string, unknown>;
}

/** Inserts an email unless its idempotency key exists. Returns the new row's status, or undefined. */
export async function insertEmail(em: EntityManager, email: NewEmail): Promise<EmailStatus | undefined> {
  const rows = await em.execute<{ status: EmailStatus }[]>(
    `insert into ${qualified(em, 'emails')}
       (id, org_id, idempotency_key, template, "to", subject, status, invoice_id, document_version, payload)
     values (?, ?, ?, ?, array[?]::text[], ?, ?, ?, ?, ?::jsonb)
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
    ],
  );
  return rows[0]?.status;
}

/** Moves the emails waiting for this document to `queued`; returns their ids. */
export async function queueWaitingFor(
  em: EntityManager,
  orgId: string,
  invoiceId: string,
  version: number,
): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(
    `update ${qualified(em, 'emails')} set status = 'queued', updated_at = now()
     where status = 'waiting_for_document' and invoice_id = ? and document_version = ? and org_id = ?
     returning id`,
    [invoiceId, version, orgId],
  );
  return rows.map((row) => row.id);
}

/** Backstop for the reconciler: queues every waiting email whose document is known. */
export async function queueAllWithDocuments(em: EntityManager): Promise<string[]> {
  const emails = qualified(em, 'emails');
  const rows = await em.execute<{ id: string }[]>(
    `update ${emails} e set status = 'queued', updated_at = now()
     from ${qualified(em, 'documents')} d
     where e.status = 'waiting_for_document' and d.source_id = e.invoice_id
       and d.version = e.document_version and d.org_id = e.org_id
     returning e.id`,
  );
  return rows.map((row) => row.id);
}

/**
 * Takes an email for one delivery attempt: `queued` (or `sending` left behind by a crashed or
 * stalled worker) becomes `sending` and its attempt is counted. Undefined when there is nothing to
 * send (already sent or failed, still waiting, or unknown).
 */
export async function claimForSending(em: EntityManager, id: string): Promise<EmailRow | undefined> {
  const rows = await em.execute<EmailRow[]>(
    `update ${qualified(em, 'emails')} set status = 'sending', attempts = attempts + 1, updated_at = now()
     where id = ? and status in ('queued', 'sending')
     returning ${ROW}`,
    [id],
  );
  return rows[0];
}

/** `sending` → `sent`; drops secret payload fields. Undefined when another attempt already finished it. */
export async function markSent(
  em: EntityManager,
  id: string,
  providerMessageId: string,
  secretFields: readonly string[],
): Promise<EmailRow | undefined> {
  const rows = await em.execute<EmailRow[]>(
    `update ${qualified(em, 'emails')}
     set status = 'sent', provider_message_id = ?, sent_at = now(), updated_at = now(), last_error = null,
         payload = payload - array[?]::text[]
     where id = ? and status = 'sending'
     returning ${ROW}`,
    [providerMessageId, [...secretFields], id],
  );
  return rows[0];
}

/** `queued`/`sending` → `failed`; drops secret payload fields. Undefined when it was already final. */
export async function markFailed(
  em: EntityManager,
  id: string,
  reason: string,
  secretFields: readonly string[],
): Promise<EmailRow | undefined> {
  const rows = await em.execute<EmailRow[]>(
    `update ${qualified(em, 'emails')}
     set status = 'failed', last_error = ?, updated_at = now(), payload = payload - array[?]::text[]
     where id = ? and status in ('queued', 'sending')
     returning ${ROW}`,
    [reason, [...secretFields], id],
  );
  return rows[0];
}

/** `sending` → `queued` after a transient failure, keeping the error for the log. */
export async function releaseForRetry(em: EntityManager, id: string, reason: string): Promise<void> {
  await em.execute(
    `update ${qualified(em, 'emails')} set status = 'queued', last_error = ?, updated_at = now()
     where id = ? and status = 'sending'`,
    [reason, id],
  );
}

/**
 * Emails that must have a job: every `queued` one and `sending` ones abandoned for `staleMs`.
 * Paged by id (keyset) so a pass walks the whole backlog, not only its oldest page.
 */
export async function findPending(
  em: EntityManager,
  staleMs: number,
  afterId: string | undefined,
  limit: number,
): Promise<{ id: string; status: EmailStatus }[]> {
  return em.execute(
    `select id, status from ${qualified(em, 'emails')}
     where (status = 'queued' or (status = 'sending' and updated_at < now() - (? * interval '1 millisecond')))
       and id > ?
     order by id
     limit ?`,
    [staleMs, afterId ?? '00000000-0000-0000-0000-000000000000', limit],
  );
}

/** `waiting_for_document` → `failed` for one (invoice, version) whose rendering failed for good. */
export async function failWaitingFor(
  em: EntityManager,
  orgId: string,
  invoiceId: string,
  version: number,
  reason: string,
): Promise<EmailRow[]> {
  return em.execute<EmailRow[]>(
    `update ${qualified(em, 'emails')} set status = 'failed', last_error = ?, updated_at = now()
     where status = 'waiting_for_document' and invoice_id = ? and document_version = ? and org_id = ?
     returning ${ROW}`,
    [reason, invoiceId, version, orgId],
  );
}

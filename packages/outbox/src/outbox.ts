import { AppError, validateEvent, type EventEnvelope } from '@invoice/contracts';

/** Largest event the outbox accepts: under NATS's default 1 MiB max_payload with room for headers. */
export const MAX_EVENT_BYTES = 960_000;
import { qualified, type EntityManager } from '@invoice/platform-db';
import { markEventEnqueued } from './wake.ts';

/** SQL creating the outbox and inbox tables in a service schema (used by its first migration). */
export function outboxTablesSql(): string[] {
  return [
    `create table outbox (
      seq bigserial primary key,
      id uuid not null unique,
      subject text not null,
      payload jsonb not null,
      created_at timestamptz not null default now(),
      published_at timestamptz,
      attempts integer not null default 0,
      last_error text
    )`,
    `create index outbox_pending_idx on outbox (seq) where published_at is null`,
    `create table inbox (
      consumer text not null,
      event_id uuid not null,
      processed_at timestamptz not null default now(),
      primary key (consumer, event_id)
    )`,
  ];
}

/** An event ready for the `outbox` table. */
export interface OutboxRow {
  id: string;
  subject: string;
  /** The envelope as JSON text. */
  payload: string;
}

/**
 * Checks and serializes an event for the outbox. NATS refuses messages over its max_payload (1 MiB
 * by default) and such a row would block the relay, which keeps order, so it is refused here with
 * DOCUMENT_TOO_LARGE, where the caller can still answer the request; an event that breaks its
 * contract is an Error.
 */
export function prepareOutboxRow(envelope: EventEnvelope): OutboxRow {
  const payload = JSON.stringify(envelope);
  if (Buffer.byteLength(payload) > MAX_EVENT_BYTES) {
    throw new AppError('DOCUMENT_TOO_LARGE', {
      detail: `The ${envelope.type} event would exceed ${MAX_EVENT_BYTES} bytes`,
    });
  }
  const problems = validateEvent(envelope.type, envelope);
  if (problems.length > 0) {
    throw new Error(`event ${envelope.type} breaks its contract: ${problems.join('; ')}`);
  }
  return { id: envelope.id, subject: envelope.type, payload };
}

/**
 * The outbox insert of a single statement that changes state and writes its event together (no
 * transaction round trips): `insert into <schema>.outbox … select ?, ?, ?::jsonb`, from `source`
 * (a CTE of the statement: one event per row it returns, so a change that did not happen writes no
 * event) or on its own. `row` comes from `prepareOutboxRow`; `payloadSql` may complete its payload
 * with what the statement itself computes (its one parameter is the payload). Once the statement has
 * committed, call `eventsCommitted(em)` so the relays publish it at once.
 */
export function outboxInsert(
  em: EntityManager,
  row: OutboxRow,
  source?: string,
  payloadSql = '?::jsonb',
): { sql: string; params: [string, string, string] } {
  return {
    sql: `insert into ${qualified(em, 'outbox')} (id, subject, payload) select ?, ?, ${payloadSql}${source ? ` from ${source}` : ''}`,
    params: [row.id, row.subject, row.payload],
  };
}

/**
 * Writes an event to the outbox inside the caller's transaction. Throws when called outside a
 * transaction (an event must commit with its state change) or when the event breaks its contract.
 * When the transaction commits, the relays of the schema are woken (see `wake.ts`).
 */
export async function enqueueEvent(em: EntityManager, envelope: EventEnvelope): Promise<void> {
  if (!em.getTransactionContext()) {
    throw new Error('enqueueEvent must run inside a transaction (em.transactional)');
  }
  const { payload } = prepareOutboxRow(envelope);
  await em.execute(`insert into ${qualified(em, 'outbox')} (id, subject, payload) values (?, ?, ?)`, [
    envelope.id,
    envelope.type,
    payload,
  ]);
  markEventEnqueued(em);
}

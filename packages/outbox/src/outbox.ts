import { validateEvent, type EventEnvelope } from '@invoice/contracts';
import type { EntityManager } from '@invoice/platform-db';

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

/** Schema-qualified table name for raw SQL (the ORM's search path is not relied upon). */
export function qualified(em: EntityManager, table: string): string {
  return `"${em.config.get('schema')}"."${table}"`;
}

/**
 * Writes an event to the outbox inside the caller's transaction. Throws when called outside a
 * transaction (an event must commit with its state change) or when the event breaks its contract.
 */
export async function enqueueEvent(em: EntityManager, envelope: EventEnvelope): Promise<void> {
  if (!em.getTransactionContext()) {
    throw new Error('enqueueEvent must run inside a transaction (em.transactional)');
  }
  const problems = validateEvent(envelope.type, envelope);
  if (problems.length > 0) {
    throw new Error(`event ${envelope.type} breaks its contract: ${problems.join('; ')}`);
  }
  await em.execute(`insert into ${qualified(em, 'outbox')} (id, subject, payload) values (?, ?, ?)`, [
    envelope.id,
    envelope.type,
    JSON.stringify(envelope),
  ]);
}

/**
 * Outbox rows written by the invoicing statements themselves: a draft, an edit or an issue is ONE
 * statement that changes the invoice and inserts its event together (atomic without a transaction
 * round trip). The checks are `enqueueEvent`'s (platform-outbox), made before the statement, and
 * after it the relays are woken as a commit of `enqueueEvent`'s transaction wakes them.
 */
import type { EntityManager } from '@invoice/platform-db';
import { eventsCommitted, outboxInsert, type OutboxRow } from '@invoice/platform-outbox';

/** Checks and serializes an event exactly as `enqueueEvent` does (the platform's own function). */
export { prepareOutboxRow as outboxRow, type OutboxRow } from '@invoice/platform-outbox';

/** Writes an event on its own (autocommit): for a use case whose only change is the event. */
export async function insertEvent(em: EntityManager, row: OutboxRow): Promise<void> {
  const insert = outboxInsert(em, row);
  await em.execute(insert.sql, insert.params);
  wakeRelays(em);
}

/**
 * Tells the outbox relays that a statement of `em`'s schema wrote events: at once when it committed
 * on its own; inside a transaction, after its commit (platform-outbox's `eventsCommitted`).
 */
export function wakeRelays(em: EntityManager): void {
  eventsCommitted(em);
}

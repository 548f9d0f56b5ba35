/**
 * Outbox rows written by the invoicing statements themselves: a draft, an edit or an issue is ONE
 * statement that changes the invoice and inserts its event together (atomic without a transaction
 * round trip). The checks are `enqueueEvent`'s (platform-outbox), made before the statement, and
 * after it the relays are woken as a commit of `enqueueEvent`'s transaction wakes them.
 */
import { qualified, type EntityManager } from '@invoice/platform-db';
import * as platformOutbox from '@invoice/platform-outbox';
import type { OutboxRow } from '@invoice/platform-outbox';

/** Checks and serializes an event exactly as `enqueueEvent` does (the platform's own function). */
export { prepareOutboxRow as outboxRow, type OutboxRow } from '@invoice/platform-outbox';

/** Writes an event on its own (autocommit): for a use case whose only change is the event. */
export async function insertEvent(em: EntityManager, row: OutboxRow): Promise<void> {
  await em.execute(`insert into ${qualified(em, 'outbox')} (id, subject, payload) values (?, ?, ?::jsonb)`, [
    row.id,
    row.subject,
    row.payload,
  ]);
  wakeRelays(em);
}

/**
 * platform-outbox's wake-up for events committed outside `transactional()` (its `eventsCommitted`,
 * when the installed platform has it). Without it, the relays' channel is notified here (as
 * platform-outbox does for a commit when no relay of the schema runs in the process: after the
 * commit, by itself, `synchronous_commit` off, at most one in flight), so the events never wait for
 * the relays' next poll.
 */
const eventsCommitted = (platformOutbox as { eventsCommitted?: (em: EntityManager) => void }).eventsCommitted;
/** Notifies in flight, per ORM (its configuration, shared by every fork) and schema. */
const inFlight = new WeakMap<object, Map<string, { again: boolean }>>();

async function notifyRelays(
  em: EntityManager,
  schema: string,
  notifying: Map<string, { again: boolean }>,
): Promise<void> {
  for (;;) {
    await em
      .getConnection()
      .execute(`select set_config('synchronous_commit', 'off', true), pg_notify(?, '')`, [
        platformOutbox.outboxChannel(schema),
      ])
      .catch(() => undefined); // the relays' poll picks the events up
    const state = notifying.get(schema);
    if (!state?.again) break;
    state.again = false;
  }
  notifying.delete(schema);
}

/**
 * Tells the outbox relays that a statement of `em`'s schema wrote events: at once when it committed
 * on its own; inside a transaction the caller calls this after the commit.
 */
export function wakeRelays(em: EntityManager): void {
  if (em.getTransactionContext()) return;
  if (eventsCommitted) return eventsCommitted(em);
  const schema = em.config.get('schema') ?? 'public';
  let notifying = inFlight.get(em.config);
  if (!notifying) inFlight.set(em.config, (notifying = new Map()));
  const state = notifying.get(schema);
  if (state) {
    state.again = true;
    return;
  }
  notifying.set(schema, { again: false });
  void notifyRelays(em, schema, notifying);
}

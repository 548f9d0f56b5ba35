/**
 * Outbox rows written by the invoicing statements themselves: a draft, an edit or an issue is ONE
 * statement that changes the invoice and inserts its event together (atomic without a transaction
 * round trip). The checks are `enqueueEvent`'s (platform-outbox), made before the statement, and
 * after it the relays are woken as a commit of `enqueueEvent`'s transaction wakes them.
 */
import { AppError, validateEvent, type EventEnvelope } from '@invoice/contracts';
import { qualified, type EntityManager } from '@invoice/platform-db';
import * as platformOutbox from '@invoice/platform-outbox';
import { MAX_EVENT_BYTES } from '@invoice/platform-outbox';

/** An event ready for the `outbox` table: checked against its contract and NATS's size limit. */
export interface OutboxRow {
  id: string;
  subject: string;
  /** The envelope as JSON text. */
  payload: string;
}

/**
 * Checks and serializes an event like `enqueueEvent` does: DOCUMENT_TOO_LARGE when it could not be
 * published as one bus message (the caller has not written anything yet, so nothing changes), an
 * Error when it breaks its contract.
 */
export function outboxRow(envelope: EventEnvelope): OutboxRow {
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

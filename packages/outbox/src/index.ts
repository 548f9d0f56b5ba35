/**
 * Transactional outbox and inbox. Events are written to the service's `outbox` table in the same
 * transaction as the state change; a relay publishes them to JetStream with `msgID` = event id and
 * marks them sent; a commit that enqueued events wakes the relays at once (in-process, or by NOTIFY).
 * Consumers record each processed event in `inbox` in the same transaction as
 * their effect, so a redelivery does nothing twice.
 */
export {
  enqueueEvent,
  prepareOutboxRow,
  outboxInsert,
  type OutboxRow,
  outboxTablesSql,
  MAX_EVENT_BYTES,
} from './outbox.ts';
export { OutboxRelay, type RelayOptions } from './relay.ts';
export { eventsCommitted, outboxChannel } from './wake.ts';
export { handleOnce } from './inbox.ts';
export { outboxEntities, OutboxMessage, InboxEntry } from './entities.ts';

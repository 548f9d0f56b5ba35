import { defineEntity, p } from '@invoice/platform-db';

/** Row of the outbox table (written with raw SQL by enqueueEvent; mapped for inspection). */
export const OutboxMessage = defineEntity({
  name: 'OutboxMessage',
  tableName: 'outbox',
  properties: {
    seq: p.bigint('string').primary(),
    id: p.uuid().unique(),
    subject: p.text(),
    payload: p.json<Record<string, unknown>>(),
    createdAt: p.datetime().name('created_at'),
    publishedAt: p.datetime().name('published_at').nullable(),
    attempts: p.integer(),
    lastError: p.text().name('last_error').nullable(),
  },
});

/** Row of the inbox table: one per (consumer, processed event). */
export const InboxEntry = defineEntity({
  name: 'InboxEntry',
  tableName: 'inbox',
  properties: {
    consumer: p.text().primary(),
    eventId: p.uuid().name('event_id').primary(),
    processedAt: p.datetime().name('processed_at'),
  },
});

/** Entities every service adds to its ORM. */
export const outboxEntities = [OutboxMessage, InboxEntry];

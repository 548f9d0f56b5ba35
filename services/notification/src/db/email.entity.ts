import { defineEntity, p } from '@invoice/platform-db';
import type { InferEntity } from '@mikro-orm/core';
import type { EmailStatus } from '../domain/email.ts';

/** One email in the log: what to send, to whom, and how delivery went. */
export const Email = defineEntity({
  name: 'Email',
  tableName: 'emails',
  properties: {
    id: p.uuid().primary(),
    orgId: p.uuid().name('org_id'),
    idempotencyKey: p.text().name('idempotency_key').unique(),
    template: p.text(),
    to: p.array().columnType('text[]'),
    subject: p.text(),
    status: p.text().$type<EmailStatus>(),
    attempts: p.integer(),
    providerMessageId: p.text().name('provider_message_id').nullable(),
    lastError: p.text().name('last_error').nullable(),
    invoiceId: p.uuid().name('invoice_id').nullable(),
    documentVersion: p.integer().name('document_version').nullable(),
    /** The member who created the invoice the email is about (null: account emails, older rows). */
    createdBy: p.uuid().name('created_by').nullable(),
    payload: p.json<Record<string, unknown>>(),
    createdAt: p.datetime().name('created_at'),
    updatedAt: p.datetime().name('updated_at'),
    sentAt: p.datetime().name('sent_at').nullable(),
  },
});

/** An email of the log, as the ORM loads it. */
export type EmailRecord = InferEntity<typeof Email>;

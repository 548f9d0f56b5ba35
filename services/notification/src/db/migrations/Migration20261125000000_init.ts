import { Migration } from '@invoice/platform-db';
import { outboxTablesSql } from '@invoice/platform-outbox';

/** Email log, known documents, outbox and inbox. */
export class Migration20261125000000_init extends Migration {
  override async up(): Promise<void> {
    for (const sql of outboxTablesSql()) this.addSql(sql);
    this.addSql(`create table notification.emails (
      id uuid primary key,
      org_id uuid not null,
      idempotency_key text not null unique,
      template text not null,
      "to" text[] not null check (cardinality("to") > 0),
      subject text not null,
      status text not null check (status in ('waiting_for_document', 'queued', 'sending', 'sent', 'failed')),
      attempts integer not null default 0,
      provider_message_id text,
      last_error text,
      invoice_id uuid,
      document_version integer,
      payload jsonb not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      sent_at timestamptz
    )`);
    // The HTTP list (org, newest first, optional invoice filter) and the reconciler's scan.
    this.addSql(`create index emails_org_idx on notification.emails (org_id, id desc)`);
    this.addSql(
      `create index emails_org_invoice_idx on notification.emails (org_id, invoice_id, id desc) where invoice_id is not null`,
    );
    this.addSql(
      `create index emails_pending_idx on notification.emails (status, updated_at) where status in ('queued', 'sending')`,
    );
    this.addSql(
      `create index emails_waiting_idx on notification.emails (invoice_id, document_version) where status = 'waiting_for_document'`,
    );
    this.addSql(`create table notification.documents (
      source_id uuid not null,
      version integer not null,
      org_id uuid not null,
      bucket text not null,
      key text not null,
      sha256 text not null,
      number text not null,
      created_at timestamptz not null default now(),
      primary key (source_id, version)
    )`);
  }
}

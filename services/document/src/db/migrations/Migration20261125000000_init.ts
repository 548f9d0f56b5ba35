import { Migration } from '@invoice/platform-db';
import { outboxTablesSql } from '@invoice/platform-outbox';

/** Documents, plus the outbox and inbox tables. */
export class Migration20261125000000_init extends Migration {
  override async up(): Promise<void> {
    for (const sql of outboxTablesSql()) this.addSql(sql);
    this.addSql(`create table document.documents (
      id uuid primary key,
      org_id uuid not null,
      source_type text not null check (source_type in ('invoice', 'credit_note', 'quote')),
      source_id uuid not null,
      number text not null,
      version integer not null check (version >= 1),
      status text not null default 'pending' check (status in ('pending', 'ready', 'failed')),
      source jsonb not null,
      attempts integer not null default 0,
      s3_bucket text not null,
      s3_key text not null,
      content_type text not null default 'application/pdf',
      sha256 text check (sha256 ~ '^[a-f0-9]{64}$'),
      size integer check (size > 0),
      error text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      rendered_at timestamptz,
      constraint documents_source_version_unique unique (org_id, source_type, source_id, version),
      constraint documents_ready_has_file check (status <> 'ready' or (sha256 is not null and size is not null))
    )`);
    // The PDF route looks documents up by (org, source id) without knowing the source type.
    this.addSql(
      `create index documents_org_source_idx on document.documents (org_id, source_id, version desc)`,
    );
    // The reconciler scans pending rows only.
    this.addSql(
      `create index documents_pending_idx on document.documents (created_at) where status = 'pending'`,
    );
  }
}

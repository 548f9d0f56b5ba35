import { Migration } from '@invoice/platform-db';

/**
 * Spreadsheet imports: the durable state machine of each uploaded file (uploaded → mapped → running
 * → completed / failed / cancelled) with its analysis, its run plan, the cursor of the last committed
 * batch and its counts, and the row errors it found.
 */
export class Migration20261203000000_imports extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table catalog.imports (
      id uuid primary key,
      org_id uuid not null,
      created_by text,
      status text not null check (status in ('uploaded', 'mapped', 'running', 'completed', 'failed', 'cancelled')),
      format text not null check (format in ('csv', 'xlsx')),
      file_name text not null,
      s3_key text not null,
      size bigint not null,
      sheets jsonb not null,
      plan jsonb,
      cursor jsonb not null default '{"sheet": 0, "row": 0}',
      total_rows integer not null default 0,
      processed_rows integer not null default 0,
      created integer not null default 0,
      updated integer not null default 0,
      unchanged integer not null default 0,
      skipped integer not null default 0,
      failed integer not null default 0,
      error_count integer not null default 0,
      failure text,
      attempts integer not null default 0,
      expires_at timestamptz not null,
      file_deleted_at timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      started_at timestamptz,
      finished_at timestamptz
    )`);
    // The reconciler's pending imports, and the expiry sweep of stored files.
    this.addSql(
      `create index imports_pending_idx on catalog.imports (id) where status in ('mapped', 'running')`,
    );
    this.addSql(
      `create index imports_expiry_idx on catalog.imports (expires_at) where file_deleted_at is null`,
    );
    this.addSql(`create index imports_org_idx on catalog.imports (org_id, created_at)`);
    this.addSql(`create table catalog.import_errors (
      import_id uuid not null references catalog.imports (id) on delete cascade,
      seq integer not null,
      sheet text not null,
      row integer not null,
      "column" text,
      message text not null,
      primary key (import_id, seq)
    )`);
  }
}

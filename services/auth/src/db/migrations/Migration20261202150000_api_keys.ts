import { Migration } from '@invoice/platform-db';

/** API keys of integrators: scoped, stored as SHA-256 only, revocable, with their last use. */
export class Migration20261202150000_api_keys extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table api_keys (
      id uuid primary key,
      organization_id uuid not null references organizations (id) on delete cascade deferrable initially deferred,
      name text not null,
      prefix text not null,
      secret_hash text not null unique,
      read_only boolean not null default false,
      permissions text[] not null default '{}',
      created_by uuid not null,
      version integer not null default 1 check (version >= 1),
      last_used_at timestamptz,
      revoked_at timestamptz,
      created_at timestamptz not null default now()
    )`);
    this.addSql(`create index api_keys_organization_idx on api_keys (organization_id, created_at desc)`);
  }
}

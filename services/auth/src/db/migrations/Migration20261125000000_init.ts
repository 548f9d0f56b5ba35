import { idempotencyTableSql, Migration } from '@invoice/platform-db';
import { outboxTablesSql } from '@invoice/platform-outbox';

/**
 * The auth schema: organizations, users, memberships, one-time email verification tokens, refresh
 * token families, signing keys, Idempotency-Key outcomes (sign-up) and the outbox/inbox. Runs with search_path = the service schema.
 *
 * Foreign keys are checked at commit (deferrable initially deferred): the entities hold plain ids, not
 * ORM relations, so the unit of work does not order inserts by dependency.
 */
export class Migration20261125000000_init extends Migration {
  override async up(): Promise<void> {
    for (const sql of [...tableSql(), ...idempotencyTableSql(), ...outboxTablesSql()]) this.addSql(sql);
  }
}

function tableSql(): string[] {
  return [
    `create table organizations (
      id uuid primary key,
      name text not null,
      legal_name text,
      tax_id text,
      company_number text,
      email text,
      phone text,
      address jsonb,
      bank_account jsonb,
      default_currency text check (default_currency ~ '^[A-Z]{3}$'),
      version integer not null default 1 check (version >= 1),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,
    `create table users (
      id uuid primary key,
      email text not null,
      name text not null,
      password_hash text not null,
      email_verified_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,
    // One account per address whatever its case; the app also stores it lower-cased.
    `create unique index users_email_key on users (lower(email))`,
    `create table memberships (
      id uuid primary key,
      organization_id uuid not null references organizations (id) on delete cascade deferrable initially deferred,
      user_id uuid not null references users (id) on delete cascade deferrable initially deferred,
      role text not null check (role in ('owner', 'admin', 'member')),
      permissions text[] not null default '{}',
      status text not null default 'active' check (status in ('active', 'pending')),
      created_at timestamptz not null default now(),
      unique (organization_id, user_id)
    )`,
    `create index memberships_user_idx on memberships (user_id)`,
    `create table email_verification_tokens (
      id uuid primary key,
      user_id uuid not null references users (id) on delete cascade deferrable initially deferred,
      token_hash text not null unique,
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now()
    )`,
    `create index email_verification_tokens_user_idx on email_verification_tokens (user_id)`,
    `create table refresh_token_families (
      id uuid primary key,
      user_id uuid not null references users (id) on delete cascade deferrable initially deferred,
      organization_id uuid not null references organizations (id) on delete cascade deferrable initially deferred,
      revoked_at timestamptz,
      revoked_reason text,
      created_at timestamptz not null default now()
    )`,
    `create index refresh_token_families_user_idx on refresh_token_families (user_id)`,
    `create table refresh_tokens (
      id uuid primary key,
      family_id uuid not null references refresh_token_families (id) on delete cascade deferrable initially deferred,
      token_hash text not null unique,
      expires_at timestamptz not null,
      rotated_at timestamptz,
      created_at timestamptz not null default now()
    )`,
    `create index refresh_tokens_family_idx on refresh_tokens (family_id)`,
    `create table signing_keys (
      kid text primary key,
      public_jwk jsonb not null,
      private_jwk jsonb not null,
      created_at timestamptz not null default now(),
      retired_at timestamptz
    )`,
    // At most one active key, so two replicas starting at once cannot both create one.
    `create unique index signing_keys_one_active on signing_keys ((true)) where retired_at is null`,
  ];
}

import { Migration } from '@invoice/platform-db';

/**
 * Teams and account security: membership versions and approval, the organization's approval
 * setting, invitations, password reset tokens and the per-account login throttle.
 */
export class Migration20261202140000_teams extends Migration {
  override async up(): Promise<void> {
    for (const sql of [
      `alter table memberships drop constraint if exists memberships_status_check`,
      `alter table memberships add constraint memberships_status_check check (status in ('active', 'pending', 'deactivated'))`,
      // Raised by every change of role, permissions or status and by ending the member's sessions;
      // access tokens carry it as `mv` and older ones are refused.
      `alter table memberships add column version integer not null default 1 check (version >= 1)`,
      `alter table memberships add column approved_at timestamptz`,
      `alter table memberships add column approved_by uuid`,
      `alter table memberships add column deactivated_at timestamptz`,
      `alter table memberships add column updated_at timestamptz not null default now()`,
      `alter table organizations add column require_member_approval boolean not null default true`,
      `create table invitations (
        id uuid primary key,
        organization_id uuid not null references organizations (id) on delete cascade deferrable initially deferred,
        email text not null,
        role text not null check (role in ('admin', 'member')),
        permissions text[] not null default '{}',
        token_hash text not null unique,
        invited_by uuid not null,
        expires_at timestamptz not null,
        accepted_at timestamptz,
        accepted_by uuid,
        revoked_at timestamptz,
        created_at timestamptz not null default now()
      )`,
      `create index invitations_organization_idx on invitations (organization_id, created_at desc)`,
      `create index invitations_expires_idx on invitations (expires_at) where accepted_at is null and revoked_at is null`,
      `create table password_reset_tokens (
        id uuid primary key,
        user_id uuid not null references users (id) on delete cascade deferrable initially deferred,
        token_hash text not null unique,
        expires_at timestamptz not null,
        used_at timestamptz,
        created_at timestamptz not null default now()
      )`,
      `create index password_reset_tokens_user_idx on password_reset_tokens (user_id)`,
      // Failed logins per (normalized) email, known or not, so the limit reveals nothing.
      `create table login_failures (
        email text primary key,
        failures integer not null default 0,
        window_started_at timestamptz not null default now(),
        locked_until timestamptz
      )`,
      `create index refresh_token_families_open_idx on refresh_token_families (user_id) where revoked_at is null`,
    ])
      this.addSql(sql);
  }
}

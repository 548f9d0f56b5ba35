import { Migration } from '@invoice/platform-db';
import { outboxTablesSql } from '@invoice/platform-outbox';

/** Clients and products (soft delete, per-organization SKU uniqueness), plus the outbox and inbox. */
export class Migration20261125000000_init extends Migration {
  override async up(): Promise<void> {
    for (const sql of outboxTablesSql()) this.addSql(sql);
    this.addSql(`create table catalog.clients (
      id uuid primary key,
      org_id uuid not null,
      name text not null,
      email text,
      tax_id text,
      company_number text,
      address jsonb,
      contact jsonb,
      default_currency char(3),
      payment_terms_days integer check (payment_terms_days between 0 and 365),
      language text,
      notes text,
      version integer not null check (version >= 1),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      deleted_at timestamptz
    )`);
    // Lists and lookups: always by organization, live rows only, in id order.
    this.addSql(`create index clients_org_live_idx on catalog.clients (org_id, id) where deleted_at is null`);
    this.addSql(`create table catalog.products (
      id uuid primary key,
      org_id uuid not null,
      name text not null,
      description text,
      sku text,
      unit_price numeric(19,6) not null check (unit_price >= 0),
      currency char(3) not null,
      unit_code text not null,
      vat_rate numeric(9,6) check (vat_rate between 0 and 100),
      category_id uuid,
      attributes jsonb not null default '{}',
      version integer not null check (version >= 1),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      deleted_at timestamptz
    )`);
    this.addSql(
      `create index products_org_live_idx on catalog.products (org_id, id) where deleted_at is null`,
    );
    // A deleted product frees its SKU for a new one.
    this.addSql(
      `create unique index products_org_sku_uniq on catalog.products (org_id, sku) where deleted_at is null and sku is not null`,
    );
  }
}

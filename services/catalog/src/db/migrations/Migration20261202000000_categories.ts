import { Migration } from '@invoice/platform-db';

/**
 * Categories (a tree of any depth, soft-deleted) with their attribute definitions, products' link to
 * them and archiving, and the indexes behind the new product filters and sorts.
 */
export class Migration20261202000000_categories extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table catalog.categories (
      id uuid primary key,
      org_id uuid not null,
      parent_id uuid references catalog.categories (id),
      name text not null,
      description text,
      position integer not null default 0 check (position >= 0),
      attributes jsonb not null default '[]',
      version integer not null check (version >= 1),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      deleted_at timestamptz
    )`);
    // The tree of an organization (children of a parent, in order) and lookups by id.
    this.addSql(
      `create index categories_org_parent_idx on catalog.categories (org_id, parent_id, position, name) where deleted_at is null`,
    );
    this.addSql(`alter table catalog.products add column archived_at timestamptz`);
    // Filter by category (live products), then the list's sorts.
    this.addSql(
      `create index products_org_category_idx on catalog.products (org_id, category_id, id) where deleted_at is null`,
    );
    this.addSql(
      `create index products_org_name_idx on catalog.products (org_id, lower(name), id) where deleted_at is null`,
    );
    this.addSql(
      `create index products_org_created_idx on catalog.products (org_id, created_at, id) where deleted_at is null`,
    );
  }
}

import { Migration } from '@invoice/platform-db';

/**
 * Clients: shipping address, invoice emails, archiving, and the indexes behind prefix search
 * (name, email, tax id; case-insensitive) and the list's sorts.
 */
export class Migration20261202000100_client_fields extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table catalog.clients add column shipping_address jsonb`);
    this.addSql(`alter table catalog.clients add column invoice_emails jsonb`);
    this.addSql(`alter table catalog.clients add column archived_at timestamptz`);
    for (const column of ['name', 'email', 'tax_id']) {
      this.addSql(
        `create index clients_org_${column}_prefix_idx on catalog.clients (org_id, lower(${column}) text_pattern_ops) where deleted_at is null`,
      );
    }
    this.addSql(
      `create index clients_org_name_idx on catalog.clients (org_id, name, id) where deleted_at is null`,
    );
    this.addSql(
      `create index clients_org_created_idx on catalog.clients (org_id, created_at, id) where deleted_at is null`,
    );
    this.addSql(
      `create index products_org_price_idx on catalog.products (org_id, unit_price, id) where deleted_at is null`,
    );
    // Products sort by name as the column (collation order), not lower(name).
    this.addSql(`drop index catalog.products_org_name_idx`);
    this.addSql(
      `create index products_org_name_idx on catalog.products (org_id, name, id) where deleted_at is null`,
    );
  }
}

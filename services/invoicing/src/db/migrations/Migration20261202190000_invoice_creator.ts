import { Migration } from '@invoice/platform-db';

/**
 * Who created each invoice, quote or credit-noted invoice: members without `all_invoices_access`
 * see and act only on their own. Older rows have no creator and are visible to those holding
 * the permission (owners and admins always hold it).
 */
export class Migration20261202190000_invoice_creator extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table invoices add column created_by uuid`);
    this.addSql(`create index invoices_org_creator_idx on invoices (org_id, created_by, id desc)`);
  }
}

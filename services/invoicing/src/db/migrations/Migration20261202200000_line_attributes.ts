import { Migration } from '@invoice/platform-db';

/**
 * Item attributes (BG-32) per invoice line: what a line prints under its description, copied from
 * the product's invoice-visible attributes when the line names a product. Existing lines have none.
 */
export class Migration20261202200000_line_attributes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table invoice_lines add column attributes jsonb not null default '[]'`);
  }
}

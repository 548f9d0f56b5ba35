import { Migration } from '@mikro-orm/migrations';

/**
 * The member who created the invoice an email is about, so the email log shows a member without
 * `all_invoices_access` only the emails of their own invoices. Emails without one (account emails,
 * older rows) are seen only with the permission.
 */
export class Migration20261202170000_email_creator extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table notification.emails add column created_by uuid`);
    this.addSql(`create index emails_org_creator_idx on notification.emails (org_id, created_by, id desc)`);
  }
}

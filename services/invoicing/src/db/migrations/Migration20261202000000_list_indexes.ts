import { Migration } from '@invoice/platform-db';

/**
 * Indexes for every filter combination of the invoice list (see db/invoice-list.repository.ts): the
 * equality columns (organization, then client, then status) before the order (`id desc`), and the
 * same prefixes before `(issue_date, id desc)` for the issue-date filters. Status + client had no
 * index (a no-match read every invoice of the client), and the issue-date index had no id.
 */
export class Migration20261202000000_list_indexes extends Migration {
  override async up(): Promise<void> {
    this.addSql('set local search_path to "invoicing"');
    for (const sql of [
      `create index invoices_org_client_status_idx on invoices (org_id, client_id, status, id desc)`,
      `drop index invoices_org_issue_date_idx`,
      `create index invoices_org_issue_date_idx on invoices (org_id, issue_date, id desc)`,
      `create index invoices_org_status_issue_date_idx on invoices (org_id, status, issue_date, id desc)`,
      `create index invoices_org_client_issue_date_idx on invoices (org_id, client_id, issue_date, id desc)`,
      `create index invoices_org_client_status_issue_date_idx
         on invoices (org_id, client_id, status, issue_date, id desc)`,
    ]) {
      this.addSql(sql);
    }
  }
}

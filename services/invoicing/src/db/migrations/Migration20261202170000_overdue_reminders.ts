import { Migration } from '@invoice/platform-db';

/**
 * Overdue and reminders: when an invoice became overdue, each organization's invoice settings
 * (reminder policy, payment receipts), and one row per reminder sent — its primary key (invoice,
 * reminder number) is what makes every reminder go out exactly once, whatever runs the scan.
 */
export class Migration20261202170000_overdue_reminders extends Migration {
  override async up(): Promise<void> {
    this.addSql('set local search_path to "invoicing"');
    for (const sql of [
      `alter table invoices add column overdue_at timestamptz`,
      // The scan's two questions: open invoices past their due date, and overdue invoices.
      `create index invoices_open_due_idx on invoices (due_date, id) where status in ('issued', 'partially_paid')`,
      `create index invoices_overdue_idx on invoices (org_id, due_date, id) where status = 'overdue'`,
      `create table invoice_settings (
        org_id uuid primary key,
        reminders_enabled boolean not null default false,
        reminder_first_after_days integer not null default 3 check (reminder_first_after_days between 0 and 365),
        reminder_every_days integer not null default 7 check (reminder_every_days between 1 and 365),
        reminder_max integer not null default 3 check (reminder_max between 0 and 10),
        payment_receipts boolean not null default false,
        updated_at timestamptz not null default now()
      )`,
      `create table invoice_reminders (
        invoice_id uuid not null references invoices (id) on delete cascade,
        sequence integer not null check (sequence >= 1),
        org_id uuid not null,
        event_id uuid not null,
        sent_at timestamptz not null default now(),
        primary key (invoice_id, sequence)
      )`,
    ]) {
      this.addSql(sql);
    }
  }
}

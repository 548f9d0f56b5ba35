import { Migration } from '@invoice/platform-db';

/**
 * Recurring invoices: the schedule with its template and next occurrence (durable state; the
 * BullMQ job only wakes the scheduler), and one row per occurrence. The occurrence's primary key
 * (schedule, occurrence date) is written in the same transaction as the occurrence's draft invoice
 * and its events: it is what makes a second invoice for one occurrence impossible, whatever retries,
 * restarts, replicas or a flushed Redis do.
 */
export class Migration20261203100000_recurring_invoices extends Migration {
  override async up(): Promise<void> {
    this.addSql('set local search_path to "invoicing"');
    for (const sql of [
      `create table recurring_invoices (
        id uuid primary key,
        org_id uuid not null,
        status text not null check (status in ('active', 'paused', 'completed')),
        client_id uuid not null,
        currency text,
        payment_terms_days integer,
        payment_method text,
        notes text,
        lines jsonb not null,
        action text not null check (action in ('draft', 'issue', 'issue_and_send')),
        locale text,
        frequency text not null check (frequency in ('day', 'week', 'month')),
        interval integer not null check (interval between 1 and 366),
        day_of_month integer check (day_of_month between 1 and 31),
        start_date date not null,
        end_after_count integer check (end_after_count >= 1),
        end_date date,
        next_index integer not null default 0,
        next_date date,
        occurrences_created integer not null default 0,
        version integer not null default 1,
        created_by uuid,
        created_at timestamptz not null,
        updated_at timestamptz not null
      )`,
      `create index recurring_invoices_org_idx on recurring_invoices (org_id, id desc)`,
      // The scheduler's question: active schedules due by today.
      `create index recurring_invoices_due_idx on recurring_invoices (next_date, id) where status = 'active'`,
      `create table recurring_occurrences (
        schedule_id uuid not null references recurring_invoices (id) on delete cascade,
        occurrence_date date not null,
        sequence integer not null check (sequence >= 1),
        org_id uuid not null,
        period_start date not null,
        period_end date not null,
        action text not null,
        invoice_id uuid references invoices (id) on delete set null,
        status text not null check (status in ('pending', 'draft', 'issued', 'sent', 'failed')),
        failure_code text,
        failure_detail text,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        primary key (schedule_id, occurrence_date)
      )`,
      // Occurrences whose issue or send is still to be done (after a crash between the two steps).
      `create index recurring_occurrences_pending_idx on recurring_occurrences (created_at) where status = 'pending'`,
    ]) {
      this.addSql(sql);
    }
  }
}

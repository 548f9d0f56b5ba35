/**
 * The overdue scan's statements. Each batch runs in the caller's transaction and locks its rows with
 * `for update skip locked`, so scans running at once (replicas, a retried job) split the work instead
 * of repeating it; the status check and the reminders' primary key make a repeat a no-op anyway.
 */
import type { Party, ReminderPolicy } from '@invoice/contracts';
import { qualified, type EntityManager } from '@invoice/platform-db';
import { policyJsonSql } from './invoice-settings.repository.ts';

/** An invoice the scan just marked overdue. */
export interface OverdueRow {
  id: string;
  orgId: string;
  clientId: string;
  number: string;
  status: 'overdue';
  currency: string;
  dueDate: string;
  totalGross: string;
  totalPaid: string;
  totalCredited: string;
  totalDue: string;
}

/** Marks up to `limit` issued or partially paid invoices due before `today` overdue; returns them. */
export async function markOverdueBatch(
  em: EntityManager,
  today: string,
  at: Date,
  limit: number,
): Promise<OverdueRow[]> {
  const invoices = qualified(em, 'invoices');
  return em.execute<OverdueRow[]>(
    `with due as (
       select id from ${invoices} where status in ('issued', 'partially_paid') and due_date < ?::date
       order by due_date, id limit ? for update skip locked
     )
     update ${invoices} i set status = 'overdue', overdue_at = ?::timestamptz, updated_at = ?::timestamptz,
       version = i.version + 1
     from due where i.id = due.id and i.status in ('issued', 'partially_paid')
     returning i.id, i.org_id as "orgId", i.client_id as "clientId", i.number, i.status, i.currency,
       to_char(i.due_date, 'YYYY-MM-DD') as "dueDate", i.total_gross::text as "totalGross",
       i.total_paid::text as "totalPaid", i.total_credited::text as "totalCredited", i.total_due::text as "totalDue"`,
    [today, limit, at.toISOString(), at.toISOString()],
  );
}

/** An overdue invoice whose next reminder may be due, with its organization's policy. */
export interface ReminderCandidate {
  id: string;
  orgId: string;
  number: string;
  currency: string;
  dueDate: string;
  totalGross: string;
  totalDue: string;
  seller: Party;
  buyer: Party;
  documentVersion: number;
  policy: ReminderPolicy;
  sent: number;
}

/**
 * Up to `limit` overdue invoices (of organizations with reminders on, a buyer email, and reminders
 * left) whose next reminder is due by `today` and that got none today, locked. At most one reminder
 * per invoice and day: after an outage the missed ones follow day by day, not all at once.
 */
export async function reminderCandidates(
  em: EntityManager,
  today: string,
  limit: number,
): Promise<ReminderCandidate[]> {
  const sent = `(select count(*) from ${qualified(em, 'invoice_reminders')} r where r.invoice_id = i.id)`;
  return em.execute<ReminderCandidate[]>(
    `select i.id, i.org_id as "orgId", i.number, i.currency, to_char(i.due_date, 'YYYY-MM-DD') as "dueDate",
       i.total_gross::text as "totalGross", i.total_due::text as "totalDue", i.seller, i.buyer,
       coalesce(i.document_version, 1) as "documentVersion", ${policyJsonSql('s')} as policy, ${sent}::int as sent
     from ${qualified(em, 'invoices')} i
     join ${qualified(em, 'invoice_settings')} s on s.org_id = i.org_id and s.reminders_enabled
     where i.status = 'overdue' and i.buyer->>'email' is not null
       and ${sent} < s.reminder_max
       and i.due_date + s.reminder_first_after_days + s.reminder_every_days * ${sent}::int <= ?::date
       and not exists (select 1 from ${qualified(em, 'invoice_reminders')} r
         where r.invoice_id = i.id and (r.sent_at at time zone 'UTC')::date = ?::date)
     order by i.id limit ? for update of i skip locked`,
    [today, today, limit],
  );
}

/** Records reminder `sequence` of an invoice; false when it was already recorded (sent before). */
export async function insertReminder(
  em: EntityManager,
  reminder: { invoiceId: string; sequence: number; orgId: string; eventId: string; at: Date },
): Promise<boolean> {
  const rows = await em.execute<{ sequence: number }[]>(
    `insert into ${qualified(em, 'invoice_reminders')} (invoice_id, sequence, org_id, event_id, sent_at)
     values (?, ?, ?, ?, ?::timestamptz) on conflict do nothing returning sequence`,
    [reminder.invoiceId, reminder.sequence, reminder.orgId, reminder.eventId, reminder.at.toISOString()],
  );
  return rows.length > 0;
}

/** Each organization's invoice settings (reminder policy, payment receipts). */
import type { ReminderPolicy } from '@invoice/contracts';
import { qualified, type EntityManager } from '@invoice/platform-db';

/** The stored settings. */
export interface InvoiceSettingsRow {
  reminders: ReminderPolicy;
  paymentReceipts: boolean;
  updatedAt: Date;
}

/** SQL of the reminder policy columns of `invoice_settings` aliased `alias`, as a JSON object. */
export function policyJsonSql(alias: string): string {
  return `json_build_object('enabled', ${alias}.reminders_enabled, 'firstAfterDays', ${alias}.reminder_first_after_days,
    'everyDays', ${alias}.reminder_every_days, 'maxReminders', ${alias}.reminder_max)`;
}

/** The organization's settings, or null when it never set them. */
export async function findInvoiceSettings(
  em: EntityManager,
  orgId: string,
): Promise<InvoiceSettingsRow | null> {
  const rows = await em.execute<{ reminders: ReminderPolicy; paymentReceipts: boolean; updatedAt: string }[]>(
    `select ${policyJsonSql('s')} as reminders, s.payment_receipts as "paymentReceipts", s.updated_at as "updatedAt"
     from ${qualified(em, 'invoice_settings')} s where s.org_id = ?`,
    [orgId],
  );
  const row = rows[0];
  return row ? { ...row, updatedAt: new Date(row.updatedAt) } : null;
}

/** Stores the organization's settings (insert or replace). */
export async function saveInvoiceSettings(
  em: EntityManager,
  orgId: string,
  settings: { reminders: ReminderPolicy; paymentReceipts: boolean },
): Promise<void> {
  const { reminders } = settings;
  await em.execute(
    `insert into ${qualified(em, 'invoice_settings')} (org_id, reminders_enabled, reminder_first_after_days,
       reminder_every_days, reminder_max, payment_receipts) values (?, ?, ?, ?, ?, ?)
     on conflict (org_id) do update set reminders_enabled = excluded.reminders_enabled,
       reminder_first_after_days = excluded.reminder_first_after_days, reminder_every_days = excluded.reminder_every_days,
       reminder_max = excluded.reminder_max, payment_receipts = excluded.payment_receipts, updated_at = now()`,
    [
      orgId,
      reminders.enabled,
      reminders.firstAfterDays,
      reminders.everyDays,
      reminders.maxReminders,
      settings.paymentReceipts,
    ],
  );
}

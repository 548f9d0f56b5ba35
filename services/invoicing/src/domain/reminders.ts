/**
 * Overdue and payment reminders as pure rules. An issued or partially paid invoice is overdue the day
 * after its due date. Reminder n (1-based) is due `firstAfterDays + (n − 1) × everyDays` days after the
 * due date, for n up to `maxReminders`, and only while the invoice is overdue (paid or void stops them).
 */
import type { InvoiceStatus, IsoDate, ReminderPolicy } from '@invoice/contracts';

/** What the organization gets until it sets its own policy: no reminders (they email its clients). */
export const DEFAULT_REMINDER_POLICY: ReminderPolicy = {
  enabled: false,
  firstAfterDays: 3,
  everyDays: 7,
  maxReminders: 3,
};

const DAY_MS = 24 * 3600 * 1000;

/** Days from `from` to `to` (dates, UTC). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** True when an invoice of `status` due on `dueDate` is overdue on `today`. */
export function becomesOverdue(status: InvoiceStatus, dueDate: IsoDate, today: IsoDate): boolean {
  return (status === 'issued' || status === 'partially_paid') && daysBetween(dueDate, today) > 0;
}

/** Days after the due date at which reminder `n` is due. */
export function reminderOffset(policy: ReminderPolicy, n: number): number {
  return policy.firstAfterDays + (n - 1) * policy.everyDays;
}

/**
 * The reminder to send on `today` for an invoice with `sent` reminders so far, or undefined. One at a
 * time: after an outage the missed reminders go out on consecutive scans, not all at once.
 */
export function nextReminder(
  policy: ReminderPolicy,
  status: InvoiceStatus,
  dueDate: IsoDate,
  sent: number,
  today: IsoDate,
): number | undefined {
  if (!policy.enabled || status !== 'overdue' || sent >= policy.maxReminders) return undefined;
  const n = sent + 1;
  return daysBetween(dueDate, today) >= reminderOffset(policy, n) ? n : undefined;
}

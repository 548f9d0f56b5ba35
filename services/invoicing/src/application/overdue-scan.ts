/**
 * The overdue scan (run by a BullMQ job scheduler; see workers/overdue.worker.ts): marks issued and
 * partially paid invoices past their due date `overdue` with `invoicing.invoice.overdue.v1`, then
 * emits each payment reminder the organizations' policies make due, as
 * `invoicing.invoice.reminder-due.v1` (notification emails it with the PDF). Batches are transactions
 * whose rows are locked with skip-locked, the status change happens once, and every reminder is a row
 * keyed by (invoice, number): running the scan twice, or on two replicas at once, sends nothing twice.
 */
import {
  newId,
  Subjects,
  type InvoiceOverdue,
  type InvoiceReminderDue,
  type IsoDate,
} from '@invoice/contracts';
import { inTransaction } from '@invoice/platform-db';
import { enqueueEvent } from '@invoice/platform-outbox';
import { Dec, fixed } from '../domain/money/decimal.ts';
import { minorUnitsOf } from '../domain/pricing.ts';
import { daysBetween, nextReminder } from '../domain/reminders.ts';
import type { UseCaseDeps } from '../deps.ts';
import {
  insertReminder,
  markOverdueBatch,
  reminderCandidates,
  type OverdueRow,
  type ReminderCandidate,
} from '../db/overdue.repository.ts';
import { invoiceLifecycleEvent } from './invoice-events.ts';

/** What one scan did. */
export interface ScanResult {
  overdue: number;
  reminders: number;
}

/** The scan's clock: `now` decides the day (UTC) that due dates are compared with. */
export interface ScanOptions {
  now: Date;
  batchSize?: number;
}

const money = (value: string, currency: string) => fixed(new Dec(value), minorUnitsOf(currency));

function overdueEvent(row: OverdueRow, at: Date) {
  const data: InvoiceOverdue = {
    invoiceId: row.id,
    number: row.number,
    status: row.status,
    currency: row.currency,
    gross: money(row.totalGross, row.currency),
    paid: money(row.totalPaid, row.currency),
    credited: money(row.totalCredited, row.currency),
    due: money(row.totalDue, row.currency),
    dueDate: row.dueDate,
    overdueAt: at.toISOString(),
    clientId: row.clientId,
  };
  return invoiceLifecycleEvent(row.orgId, Subjects.InvoiceOverdue, row.id, data);
}

function reminderEvent(row: ReminderCandidate, reminder: number, today: IsoDate) {
  const email = row.buyer.email;
  if (!email) throw new Error(`invoice ${row.id} has no buyer email`);
  const data: InvoiceReminderDue = {
    invoiceId: row.id,
    number: row.number,
    reminder,
    maxReminders: row.policy.maxReminders,
    documentVersion: row.documentVersion,
    to: [email.toLowerCase()],
    sellerName: row.seller.name,
    buyerName: row.buyer.name,
    gross: money(row.totalGross, row.currency),
    due: money(row.totalDue, row.currency),
    currency: row.currency,
    dueDate: row.dueDate,
    daysOverdue: daysBetween(row.dueDate, today),
  };
  return invoiceLifecycleEvent(row.orgId, Subjects.InvoiceReminderDue, row.id, data);
}

/** Runs one scan for the day of `options.now`. */
export async function scanOverdue(deps: UseCaseDeps, options: ScanOptions): Promise<ScanResult> {
  const { now } = options;
  const batchSize = options.batchSize ?? 200;
  const today = now.toISOString().slice(0, 10);
  const result: ScanResult = { overdue: 0, reminders: 0 };
  for (;;) {
    const marked = await inTransaction(deps.orm, async (em) => {
      const rows = await markOverdueBatch(em, today, now, batchSize);
      for (const row of rows) await enqueueEvent(em, overdueEvent(row, now));
      return rows.length;
    });
    result.overdue += marked;
    if (marked < batchSize) break;
  }
  for (;;) {
    const { seen, sent } = await inTransaction(deps.orm, async (em) => {
      const rows = await reminderCandidates(em, today, batchSize);
      let count = 0;
      for (const row of rows) {
        const reminder = nextReminder(row.policy, 'overdue', row.dueDate, row.sent, today);
        if (reminder === undefined) continue;
        const event = reminderEvent(row, reminder, today);
        const recorded = await insertReminder(em, {
          invoiceId: row.id,
          sequence: reminder,
          orgId: row.orgId,
          eventId: event.id,
          at: now,
        });
        if (!recorded) continue;
        await enqueueEvent(em, event);
        count += 1;
      }
      return { seen: rows.length, sent: count };
    });
    result.reminders += sent;
    if (seen < batchSize || sent === 0) break;
  }
  if (result.overdue > 0 || result.reminders > 0) {
    deps.logger.info({ day: today, ...result, scanId: newId() }, 'overdue scan');
  }
  return result;
}

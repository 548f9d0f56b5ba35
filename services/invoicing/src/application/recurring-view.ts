/** Recurring invoices and occurrences as the API shows them. */
import type { RecurringInvoice, RecurringOccurrence } from '@invoice/contracts';
import type { OccurrenceRow, RecurringRow } from '../db/recurring.repository.ts';

/** The API shape of a recurring invoice. */
export function toRecurringInvoice(row: RecurringRow): RecurringInvoice {
  return {
    id: row.id,
    status: row.status,
    clientId: row.clientId,
    currency: row.currency,
    paymentTermsDays: row.paymentTermsDays,
    paymentMethod: row.paymentMethod,
    notes: row.notes,
    lines: row.lines,
    action: row.action,
    locale: row.locale,
    schedule: {
      frequency: row.frequency,
      interval: row.interval,
      ...(row.dayOfMonth === null ? {} : { dayOfMonth: row.dayOfMonth }),
      startDate: row.startDate,
      endAfterCount: row.endAfterCount,
      endDate: row.endDate,
    },
    nextOccurrenceDate: row.status === 'completed' ? null : row.nextDate,
    occurrencesCreated: row.occurrencesCreated,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The API shape of an occurrence. */
export function toOccurrence(row: OccurrenceRow): RecurringOccurrence {
  return {
    sequence: row.sequence,
    occurrenceDate: row.occurrenceDate,
    periodStart: row.periodStart,
    periodEnd: row.periodEnd,
    invoiceId: row.invoiceId,
    status: row.status,
    failure: row.failureCode ? { code: row.failureCode, detail: row.failureDetail ?? '' } : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Recurring-invoice test helpers: a clock the test sets, and readers of what the scheduler wrote. */
import type { RecurringInvoice } from '@invoice/contracts';
import assert from 'node:assert/strict';
import type { Clock } from '../../src/deps.ts';
import type { Harness } from './harness.ts';
import { line } from './factories.ts';

/** A clock that says what the test last set. */
export class TestClock implements Clock {
  private at: Date;
  constructor(at: string) {
    this.at = new Date(at);
  }
  set(at: string): void {
    this.at = new Date(at);
  }
  now(): Date {
    return new Date(this.at);
  }
}

/** Creates a recurring invoice through the API (201 asserted). */
export async function createRecurring(
  h: Harness,
  auth: Record<string, string>,
  clientId: string,
  overrides: Record<string, unknown> = {},
): Promise<RecurringInvoice> {
  const response = await h.app.inject({
    method: 'POST',
    url: '/v1/recurring-invoices',
    headers: auth,
    payload: {
      clientId,
      lines: [line({ description: 'Hosting {month}' })],
      schedule: { frequency: 'month', startDate: '2026-01-31' },
      ...overrides,
    },
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json<RecurringInvoice>();
}

/** The invoices a schedule's occurrences created, by occurrence date (from Postgres). */
export async function invoicesOf(
  h: Harness,
  scheduleId: string,
): Promise<
  {
    occurrenceDate: string;
    invoiceId: string | null;
    status: string;
    invoiceStatus: string | null;
    issueDate: string | null;
  }[]
> {
  return h.deps.orm.em.fork().execute(
    `select to_char(o.occurrence_date, 'YYYY-MM-DD') as "occurrenceDate", o.invoice_id as "invoiceId", o.status,
       i.status as "invoiceStatus", to_char(i.issue_date, 'YYYY-MM-DD') as "issueDate"
     from invoicing.recurring_occurrences o left join invoicing.invoices i on i.id = o.invoice_id
     where o.schedule_id = ? order by o.occurrence_date`,
    [scheduleId],
  );
}

/** How many invoices a client has (every invoice of an occurrence names the template's client). */
export async function invoiceCount(h: Harness, clientId: string): Promise<number> {
  const rows = await h.deps.orm.em
    .fork()
    .execute<{ count: string }[]>(
      `select count(*)::text as count from invoicing.invoices where client_id = ?`,
      [clientId],
    );
  return Number(rows[0]?.count ?? 0);
}

/**
 * Recurring invoices and their occurrences in explicit SQL, scoped by organization on every read a
 * caller makes. The scheduler's reads lock with `for update skip locked`: replicas never wait for
 * each other and never work on the same schedule (or occurrence) at once.
 */
import type {
  DraftLineInput,
  IsoDate,
  OccurrenceStatus,
  PaymentMethod,
  RecurrenceFrequency,
  RecurringAction,
  RecurringStatus,
} from '@invoice/contracts';
import { qualified, type EntityManager } from '@invoice/platform-db';

/** A recurring invoice as stored. */
export interface RecurringRow {
  id: string;
  orgId: string;
  status: RecurringStatus;
  clientId: string;
  currency: string | null;
  paymentTermsDays: number | null;
  paymentMethod: PaymentMethod | null;
  notes: string | null;
  lines: DraftLineInput[];
  action: RecurringAction;
  locale: string | null;
  frequency: RecurrenceFrequency;
  interval: number;
  dayOfMonth: number | null;
  startDate: IsoDate;
  endAfterCount: number | null;
  endDate: IsoDate | null;
  /** Index (0-based) of the next occurrence to create. */
  nextIndex: number;
  /** Its date; null when there is none (completed). */
  nextDate: IsoDate | null;
  occurrencesCreated: number;
  version: number;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** An occurrence as stored. */
export interface OccurrenceRow {
  scheduleId: string;
  occurrenceDate: IsoDate;
  sequence: number;
  orgId: string;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  action: RecurringAction;
  invoiceId: string | null;
  status: OccurrenceStatus;
  failureCode: string | null;
  failureDetail: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const day = (column: string, field: string) => `to_char(${column}, 'YYYY-MM-DD') as "${field}"`;

const SCHEDULE_SELECT = [
  'id',
  'org_id as "orgId"',
  'status',
  'client_id as "clientId"',
  'currency',
  'payment_terms_days as "paymentTermsDays"',
  'payment_method as "paymentMethod"',
  'notes',
  'lines',
  'action',
  'locale',
  'frequency',
  'interval',
  'day_of_month as "dayOfMonth"',
  day('start_date', 'startDate'),
  'end_after_count as "endAfterCount"',
  day('end_date', 'endDate'),
  'next_index as "nextIndex"',
  day('next_date', 'nextDate'),
  'occurrences_created as "occurrencesCreated"',
  'version',
  'created_by as "createdBy"',
  'created_at as "createdAt"',
  'updated_at as "updatedAt"',
].join(', ');

const OCCURRENCE_SELECT = [
  'schedule_id as "scheduleId"',
  day('occurrence_date', 'occurrenceDate'),
  'sequence',
  'org_id as "orgId"',
  day('period_start', 'periodStart'),
  day('period_end', 'periodEnd'),
  'action',
  'invoice_id as "invoiceId"',
  'status',
  'failure_code as "failureCode"',
  'failure_detail as "failureDetail"',
  'created_at as "createdAt"',
  'updated_at as "updatedAt"',
].join(', ');

function withTimes<T extends { createdAt: Date; updatedAt: Date }>(raw: Record<string, unknown>): T {
  const row = raw as unknown as T;
  row.createdAt = new Date(raw.createdAt as string | Date);
  row.updatedAt = new Date(raw.updatedAt as string | Date);
  return row;
}

function toSchedule(raw: Record<string, unknown>): RecurringRow {
  const row = withTimes<RecurringRow>(raw);
  if (typeof raw.lines === 'string') row.lines = JSON.parse(raw.lines) as DraftLineInput[];
  return row;
}

/** Columns a caller may write, with their casts. */
const WRITABLE: Partial<Record<keyof RecurringRow, string>> = {
  status: 'status',
  clientId: 'client_id',
  currency: 'currency',
  paymentTermsDays: 'payment_terms_days',
  paymentMethod: 'payment_method',
  notes: 'notes',
  lines: 'lines',
  action: 'action',
  locale: 'locale',
  frequency: 'frequency',
  interval: 'interval',
  dayOfMonth: 'day_of_month',
  startDate: 'start_date',
  endAfterCount: 'end_after_count',
  endDate: 'end_date',
  nextIndex: 'next_index',
  nextDate: 'next_date',
  updatedAt: 'updated_at',
};

function castOf(field: keyof RecurringRow): string {
  if (field === 'lines') return '?::jsonb';
  if (field === 'startDate' || field === 'endDate' || field === 'nextDate') return '?::date';
  if (field === 'updatedAt') return '?::timestamptz';
  return '?';
}

function paramOf(field: keyof RecurringRow, value: unknown): unknown {
  if (value === null) return null;
  if (field === 'lines') return JSON.stringify(value);
  if (value instanceof Date) return value.toISOString();
  return value;
}

/** Inserts a new recurring invoice. */
export async function insertSchedule(em: EntityManager, row: RecurringRow): Promise<void> {
  await em.execute(
    `insert into ${qualified(em, 'recurring_invoices')} (id, org_id, status, client_id, currency, payment_terms_days,
       payment_method, notes, lines, action, locale, frequency, interval, day_of_month, start_date, end_after_count,
       end_date, next_index, next_date, occurrences_created, version, created_by, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?::date, ?, ?::date, ?, ?::date, ?, ?, ?, ?::timestamptz, ?::timestamptz)`,
    [
      row.id,
      row.orgId,
      row.status,
      row.clientId,
      row.currency,
      row.paymentTermsDays,
      row.paymentMethod,
      row.notes,
      JSON.stringify(row.lines),
      row.action,
      row.locale,
      row.frequency,
      row.interval,
      row.dayOfMonth,
      row.startDate,
      row.endAfterCount,
      row.endDate,
      row.nextIndex,
      row.nextDate,
      row.occurrencesCreated,
      row.version,
      row.createdBy,
      row.createdAt.toISOString(),
      row.updatedAt.toISOString(),
    ],
    'run',
  );
}

/** The recurring invoice of this organization, or null (another organization's id reads as missing). */
export async function findSchedule(
  em: EntityManager,
  orgId: string,
  id: string,
  options: { lock?: boolean } = {},
): Promise<RecurringRow | null> {
  const rows = await em.execute<Record<string, unknown>[]>(
    `select ${SCHEDULE_SELECT} from ${qualified(em, 'recurring_invoices')} where id = ? and org_id = ?${options.lock ? ' for update' : ''}`,
    [id, orgId],
  );
  return rows[0] ? toSchedule(rows[0]) : null;
}

/** A page of the organization's recurring invoices, newest first (`limit + 1` rows, see pageOf). */
export async function listSchedules(
  em: EntityManager,
  orgId: string,
  filter: {
    limit: number;
    beforeId?: string;
    status?: RecurringStatus;
    clientId?: string;
    createdBy?: string;
  },
): Promise<RecurringRow[]> {
  const where = ['org_id = ?'];
  const params: unknown[] = [orgId];
  const conditions: [string, unknown][] = [
    ['id < ?', filter.beforeId],
    ['status = ?', filter.status],
    ['client_id = ?', filter.clientId],
    ['created_by = ?', filter.createdBy],
  ];
  for (const [condition, value] of conditions) {
    if (value === undefined) continue;
    where.push(condition);
    params.push(value);
  }
  const rows = await em.execute<Record<string, unknown>[]>(
    `select ${SCHEDULE_SELECT} from ${qualified(em, 'recurring_invoices')} where ${where.join(' and ')}
     order by id desc limit ?`,
    [...params, filter.limit + 1],
  );
  return rows.map(toSchedule);
}

/**
 * Writes `changes` to the schedule if it is still at `version` (and bumps it); false when it
 * changed meanwhile or is gone.
 */
export async function updateSchedule(
  em: EntityManager,
  orgId: string,
  id: string,
  version: number,
  changes: Partial<RecurringRow>,
): Promise<boolean> {
  const sets: string[] = [];
  const params: unknown[] = [];
  for (const [field, value] of Object.entries(changes) as [keyof RecurringRow, unknown][]) {
    const column = WRITABLE[field];
    if (!column || value === undefined) continue;
    sets.push(`${column} = ${castOf(field)}`);
    params.push(paramOf(field, value));
  }
  const rows = await em.execute<{ id: string }[]>(
    `update ${qualified(em, 'recurring_invoices')} set ${sets.join(', ')}, version = version + 1
     where id = ? and org_id = ? and version = ? returning id`,
    [...params, id, orgId, version],
  );
  return rows.length > 0;
}

/** Deletes a recurring invoice (its occurrence records go with it; its invoices stay). */
export async function deleteSchedule(em: EntityManager, orgId: string, id: string): Promise<void> {
  await em.execute(
    `delete from ${qualified(em, 'recurring_invoices')} where id = ? and org_id = ?`,
    [id, orgId],
    'run',
  );
}

/** The occurrences of a schedule, oldest first. */
export async function listOccurrences(
  em: EntityManager,
  orgId: string,
  scheduleId: string,
): Promise<OccurrenceRow[]> {
  const rows = await em.execute<Record<string, unknown>[]>(
    `select ${OCCURRENCE_SELECT} from ${qualified(em, 'recurring_occurrences')}
     where schedule_id = ? and org_id = ? order by occurrence_date`,
    [scheduleId, orgId],
  );
  return rows.map((raw) => withTimes<OccurrenceRow>(raw));
}

/** Ids of active schedules due on or before `today`, after `afterId` in id order (no lock). */
export async function dueScheduleIds(
  em: EntityManager,
  today: IsoDate,
  afterId: string | undefined,
  limit: number,
): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(
    `select id from ${qualified(em, 'recurring_invoices')}
     where status = 'active' and next_date <= ?::date${afterId ? ' and id > ?' : ''} order by id limit ?`,
    afterId ? [today, afterId, limit] : [today, limit],
  );
  return rows.map((row) => row.id);
}

/**
 * Locks the schedule if it is active and due by `today` and no other transaction holds it (skip
 * locked); null otherwise. Inside the caller's transaction.
 */
export async function claimDueSchedule(
  em: EntityManager,
  id: string,
  today: IsoDate,
): Promise<RecurringRow | null> {
  const rows = await em.execute<Record<string, unknown>[]>(
    `select ${SCHEDULE_SELECT} from ${qualified(em, 'recurring_invoices')}
     where id = ? and status = 'active' and next_date <= ?::date for update skip locked`,
    [id, today],
  );
  return rows[0] ? toSchedule(rows[0]) : null;
}

/** Moves the schedule to its next occurrence (null date: completed), counting the created one. */
export async function advanceSchedule(
  em: EntityManager,
  id: string,
  next: { index: number; date: IsoDate | null; created: boolean; at: Date },
): Promise<void> {
  await em.execute(
    `update ${qualified(em, 'recurring_invoices')}
     set next_index = ?, next_date = ?::date, occurrences_created = occurrences_created + ?,
       status = case when ?::date is null then 'completed' else status end, updated_at = ?::timestamptz
     where id = ?`,
    [next.index, next.date, next.created ? 1 : 0, next.date, next.at.toISOString(), id],
    'run',
  );
}

/**
 * Records an occurrence unless its (schedule, date) exists: true when this call recorded it. The
 * database's key decides, so no retry, replica or restart records one twice.
 */
export async function insertOccurrence(
  em: EntityManager,
  row: Omit<OccurrenceRow, 'failureCode' | 'failureDetail' | 'updatedAt'>,
): Promise<boolean> {
  const rows = await em.execute<{ sequence: number }[]>(
    `insert into ${qualified(em, 'recurring_occurrences')} (schedule_id, occurrence_date, sequence, org_id,
       period_start, period_end, action, invoice_id, status, created_at, updated_at)
     values (?, ?::date, ?, ?, ?::date, ?::date, ?, ?, ?, ?::timestamptz, ?::timestamptz)
     on conflict (schedule_id, occurrence_date) do nothing returning sequence`,
    [
      row.scheduleId,
      row.occurrenceDate,
      row.sequence,
      row.orgId,
      row.periodStart,
      row.periodEnd,
      row.action,
      row.invoiceId,
      row.status,
      row.createdAt.toISOString(),
      row.createdAt.toISOString(),
    ],
  );
  return rows.length > 0;
}

/** Occurrence keys whose issue (and send) is still to be done, oldest first. */
export async function pendingOccurrenceKeys(
  em: EntityManager,
  limit: number,
): Promise<{ scheduleId: string; occurrenceDate: IsoDate }[]> {
  return em.execute(
    `select schedule_id as "scheduleId", to_char(occurrence_date, 'YYYY-MM-DD') as "occurrenceDate"
     from ${qualified(em, 'recurring_occurrences')} where status = 'pending' order by created_at limit ?`,
    [limit],
  );
}

/** Locks a pending occurrence unless another transaction holds it (skip locked); null otherwise. */
export async function claimPendingOccurrence(
  em: EntityManager,
  key: { scheduleId: string; occurrenceDate: IsoDate },
): Promise<OccurrenceRow | null> {
  const rows = await em.execute<Record<string, unknown>[]>(
    `select ${OCCURRENCE_SELECT} from ${qualified(em, 'recurring_occurrences')}
     where schedule_id = ? and occurrence_date = ?::date and status = 'pending' for update skip locked`,
    [key.scheduleId, key.occurrenceDate],
  );
  return rows[0] ? withTimes<OccurrenceRow>(rows[0]) : null;
}

/** Links the occurrence to the draft it created (same transaction as both). */
export async function setOccurrenceInvoice(
  em: EntityManager,
  key: { scheduleId: string; occurrenceDate: IsoDate },
  invoiceId: string,
): Promise<void> {
  await em.execute(
    `update ${qualified(em, 'recurring_occurrences')} set invoice_id = ? where schedule_id = ? and occurrence_date = ?::date`,
    [invoiceId, key.scheduleId, key.occurrenceDate],
    'run',
  );
}

/** Sets an occurrence's outcome (and its failure, if any). */
export async function finishOccurrence(
  em: EntityManager,
  key: { scheduleId: string; occurrenceDate: IsoDate },
  outcome: { status: OccurrenceStatus; failure?: { code: string; detail: string }; at: Date },
): Promise<void> {
  await em.execute(
    `update ${qualified(em, 'recurring_occurrences')}
     set status = ?, failure_code = ?, failure_detail = ?, updated_at = ?::timestamptz
     where schedule_id = ? and occurrence_date = ?::date`,
    [
      outcome.status,
      outcome.failure?.code ?? null,
      outcome.failure?.detail ?? null,
      outcome.at.toISOString(),
      key.scheduleId,
      key.occurrenceDate,
    ],
    'run',
  );
}

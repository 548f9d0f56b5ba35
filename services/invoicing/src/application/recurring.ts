/**
 * Recurring invoices: create, edit, pause, resume, delete, read. The schedule and its next
 * occurrence live in Postgres; the scheduler (recurring-scheduler.ts) creates the occurrences.
 */
import {
  AppError,
  newId,
  type CreateRecurringInvoiceBody,
  type IsoDate,
  type RecurrenceSchedule,
  type RecurringInvoiceListQuery,
  type UpdateRecurringInvoiceBody,
} from '@invoice/contracts';
import { inTransaction } from '@invoice/platform-db';
import { assertIfMatch, decodeCursor, pageOf, type IfMatch } from '@invoice/platform-http';
import { todayUtc } from '../domain/due-date.ts';
import {
  assertEditableSchedule,
  assertValidRecurrence,
  firstIndexOnOrAfter,
  occurrenceWithin,
  pause,
  resume,
  supportedLocale,
  type Recurrence,
} from '../domain/recurrence.ts';
import type { Clock, UseCaseDeps } from '../deps.ts';
import {
  deleteSchedule,
  findSchedule,
  insertSchedule,
  listOccurrences,
  listSchedules,
  updateSchedule,
  type OccurrenceRow,
  type RecurringRow,
} from '../db/recurring.repository.ts';
import { requireInvoiceableClient } from './guards.ts';

/** What the recurring use cases need: the invoice use cases' dependencies and a clock. */
export type RecurringDeps = UseCaseDeps & { clock: Clock };

/** The recurrence rule of a stored schedule. */
export function ruleOf(row: RecurringRow): Recurrence {
  return {
    frequency: row.frequency,
    interval: row.interval,
    dayOfMonth: row.dayOfMonth,
    startDate: row.startDate,
    endAfterCount: row.endAfterCount,
    endDate: row.endDate,
  };
}

function ruleFrom(schedule: RecurrenceSchedule): Recurrence {
  return {
    frequency: schedule.frequency,
    interval: schedule.interval ?? 1,
    dayOfMonth: schedule.dayOfMonth ?? null,
    startDate: schedule.startDate,
    endAfterCount: schedule.endAfterCount ?? null,
    endDate: schedule.endDate ?? null,
  };
}

function checkedLocale(locale: string | null | undefined): string | null | undefined {
  if (locale === undefined || locale === null) return locale;
  const supported = supportedLocale(locale);
  if (!supported) throw AppError.field('VALIDATION_FAILED', '/locale', 'is not a locale this service knows');
  return supported;
}

export function recurringNotFound(): AppError {
  return new AppError('NOT_FOUND', { detail: 'No such recurring invoice' });
}

/** Creates a recurring invoice (active; its first occurrence on or after the start date). */
export async function createRecurring(
  deps: RecurringDeps,
  orgId: string,
  body: CreateRecurringInvoiceBody,
  createdBy?: string,
): Promise<RecurringRow> {
  const rule = ruleFrom(body.schedule);
  assertValidRecurrence(rule);
  const locale = checkedLocale(body.locale) ?? null;
  await requireInvoiceableClient(deps.replicas, orgId, body.clientId);
  const now = deps.clock.now();
  const row: RecurringRow = {
    id: newId(),
    orgId,
    status: 'active',
    clientId: body.clientId,
    currency: body.currency ?? null,
    paymentTermsDays: body.paymentTermsDays ?? null,
    paymentMethod: body.paymentMethod ?? null,
    notes: body.notes ?? null,
    lines: body.lines,
    action: body.action ?? 'draft',
    locale,
    frequency: rule.frequency,
    interval: rule.interval,
    dayOfMonth: rule.dayOfMonth ?? null,
    startDate: rule.startDate,
    endAfterCount: rule.endAfterCount ?? null,
    endDate: rule.endDate ?? null,
    nextIndex: 0,
    nextDate: occurrenceWithin(rule, 0),
    occurrencesCreated: 0,
    version: 1,
    createdBy: createdBy ?? null,
    createdAt: now,
    updatedAt: now,
  };
  await insertSchedule(deps.orm.em, row);
  deps.logger.debug({ recurringId: row.id }, 'recurring invoice created');
  return row;
}

/** The recurring invoice; 404 when missing or another organization's. */
export async function getRecurring(deps: UseCaseDeps, orgId: string, id: string): Promise<RecurringRow> {
  const row = await findSchedule(deps.orm.em, orgId, id);
  if (!row) throw recurringNotFound();
  return row;
}

/** A page of recurring invoices, newest first; `createdBy` limits it to one member's. */
export async function listRecurring(
  deps: UseCaseDeps,
  orgId: string,
  query: RecurringInvoiceListQuery,
  createdBy: string | undefined,
): Promise<{ items: RecurringRow[]; nextCursor: string | null }> {
  const limit = query.limit ?? 50;
  const rows = await listSchedules(deps.orm.em, orgId, {
    limit,
    ...(query.cursor ? { beforeId: decodeCursor(query.cursor) } : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(query.clientId ? { clientId: query.clientId } : {}),
    ...(createdBy ? { createdBy } : {}),
  });
  return pageOf(rows, limit);
}

/**
 * `all_invoices_access`: 404 when a caller limited to their own documents (`userId`) reaches another
 * member's recurring invoice; a missing one is left to the use case (its own 404).
 */
export async function assertRecurringCreatedBy(
  deps: UseCaseDeps,
  orgId: string,
  id: string,
  userId: string,
): Promise<void> {
  const row = await findSchedule(deps.orm.em, orgId, id);
  if (row && row.createdBy !== null && row.createdBy !== userId) throw recurringNotFound();
}

/** The occurrences of a recurring invoice, oldest first. */
export async function occurrencesOf(deps: UseCaseDeps, orgId: string, id: string): Promise<OccurrenceRow[]> {
  await getRecurring(deps, orgId, id);
  return listOccurrences(deps.orm.em, orgId, id);
}

/** Where the next occurrence is after a change: its index and date, or completed. */
function nextAfter(
  rule: Recurrence,
  index: number,
): Pick<RecurringRow, 'nextIndex' | 'nextDate'> & {
  completed: boolean;
} {
  const date = occurrenceWithin(rule, index);
  return { nextIndex: index, nextDate: date, completed: date === null };
}

/** Only the end of a schedule may change once it has occurrences. */
function assertScheduleChange(row: RecurringRow, rule: Recurrence): void {
  if (row.nextIndex === 0) return;
  const before = ruleOf(row);
  const same =
    before.frequency === rule.frequency &&
    before.interval === rule.interval &&
    (before.dayOfMonth ?? null) === (rule.dayOfMonth ?? null) &&
    before.startDate === rule.startDate;
  if (!same) throw new AppError('RECURRING_SCHEDULE_STARTED');
}

/** Edits a recurring invoice (If-Match honoured); later occurrences use the new template. */
export async function updateRecurring(
  deps: RecurringDeps,
  orgId: string,
  id: string,
  body: UpdateRecurringInvoiceBody,
  ifMatch: IfMatch,
): Promise<RecurringRow> {
  if (body.clientId) await requireInvoiceableClient(deps.replicas, orgId, body.clientId);
  const locale = checkedLocale(body.locale);
  return inTransaction(deps.orm, async (em) => {
    const row = await findSchedule(em, orgId, id, { lock: true });
    if (!row) throw recurringNotFound();
    assertEditableSchedule(row.status);
    assertIfMatch(ifMatch, row.version, { resource: 'recurring invoice' });
    const changes: Partial<RecurringRow> = {
      clientId: body.clientId,
      currency: body.currency,
      paymentTermsDays: body.paymentTermsDays,
      paymentMethod: body.paymentMethod,
      notes: body.notes,
      lines: body.lines,
      action: body.action,
      locale,
      updatedAt: deps.clock.now(),
    };
    if (body.schedule) {
      const rule = ruleFrom(body.schedule);
      assertValidRecurrence(rule);
      assertScheduleChange(row, rule);
      const next = nextAfter(rule, row.nextIndex);
      Object.assign(changes, {
        frequency: rule.frequency,
        interval: rule.interval,
        dayOfMonth: rule.dayOfMonth ?? null,
        startDate: rule.startDate,
        endAfterCount: rule.endAfterCount ?? null,
        endDate: rule.endDate ?? null,
        nextIndex: next.nextIndex,
        nextDate: next.nextDate,
        ...(next.completed ? { status: 'completed' as const } : {}),
      });
    }
    const written = await updateSchedule(em, orgId, id, row.version, changes);
    if (!written) throw new Error(`recurring invoice ${id} changed under its lock`);
    const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
    return { ...row, ...defined, version: row.version + 1 } as RecurringRow;
  });
}

/** Pauses an active recurring invoice: nothing is created until it is resumed. */
export async function pauseRecurring(
  deps: RecurringDeps,
  orgId: string,
  id: string,
  ifMatch: IfMatch,
): Promise<RecurringRow> {
  return changeStatus(deps, orgId, id, ifMatch, (row) => ({ status: pause(row.status) }));
}

/**
 * Resumes a paused recurring invoice. Occurrences that fell due while it was paused are skipped
 * (pausing means "do not bill"): the next one is the first on or after today.
 */
export async function resumeRecurring(
  deps: RecurringDeps,
  orgId: string,
  id: string,
  ifMatch: IfMatch,
): Promise<RecurringRow> {
  const today: IsoDate = todayUtc(deps.clock.now());
  return changeStatus(deps, orgId, id, ifMatch, (row) => {
    const status = resume(row.status);
    const rule = ruleOf(row);
    const next = nextAfter(rule, Math.max(row.nextIndex, firstIndexOnOrAfter(rule, today)));
    return {
      status: next.completed ? ('completed' as const) : status,
      nextIndex: next.nextIndex,
      nextDate: next.nextDate,
    };
  });
}

async function changeStatus(
  deps: RecurringDeps,
  orgId: string,
  id: string,
  ifMatch: IfMatch,
  change: (row: RecurringRow) => Partial<RecurringRow>,
): Promise<RecurringRow> {
  return inTransaction(deps.orm, async (em) => {
    const row = await findSchedule(em, orgId, id, { lock: true });
    if (!row) throw recurringNotFound();
    assertIfMatch(ifMatch, row.version, { resource: 'recurring invoice' });
    const changes = { ...change(row), updatedAt: deps.clock.now() };
    await updateSchedule(em, orgId, id, row.version, changes);
    deps.logger.debug({ recurringId: id, status: changes.status }, 'recurring invoice status changed');
    return { ...row, ...changes, version: row.version + 1 };
  });
}

/** Deletes a recurring invoice; the invoices it created stay. */
export async function deleteRecurring(
  deps: UseCaseDeps,
  orgId: string,
  id: string,
  ifMatch: IfMatch,
): Promise<void> {
  await inTransaction(deps.orm, async (em) => {
    const row = await findSchedule(em, orgId, id, { lock: true });
    if (!row) throw recurringNotFound();
    assertIfMatch(ifMatch, row.version, { resource: 'recurring invoice' });
    await deleteSchedule(em, orgId, id);
  });
}

/**
 * The recurring-invoice scheduler, woken by a BullMQ job (workers/recurring.worker.ts) but driven by
 * Postgres alone:
 *
 * 1. Each due schedule is claimed with `for update skip locked`; one transaction records the
 *    occurrence under its key (schedule, occurrence date), creates its draft invoice (drafts.ts, with
 *    its `invoicing.invoice.updated.v1`), writes `invoicing.recurring-invoice.occurrence-created.v1`
 *    and moves the schedule on. Missed occurrences (downtime) are created oldest first, at most
 *    RECURRING_CATCH_UP_LIMIT per schedule per wake; the rest come on the next wakes.
 * 2. An occurrence that issues (or issues and sends) stays `pending` until a second transaction,
 *    holding its row with skip-locked, issues the draft (issue.ts) and requests the email (send.ts)
 *    and records the outcome in the same commit. A crash between the two leaves a pending row that
 *    the next wake finishes; a refused issue or send is recorded on the occurrence (`failed`, with
 *    the error code) and the draft is kept.
 *
 * The occurrence key is unique in the database and written with the draft: retries, restarts, a
 * flushed Redis and concurrent replicas can never create a second invoice for one occurrence.
 */
import {
  AppError,
  createEnvelope,
  Subjects,
  type IsoDate,
  type RecurringOccurrenceCreated,
  type RecurringOccurrenceFailed,
} from '@invoice/contracts';
import { inTransaction } from '@invoice/platform-db';
import { parseIfMatch } from '@invoice/platform-http';
import { enqueueEvent } from '@invoice/platform-outbox';
import { todayUtc } from '../domain/due-date.ts';
import { localeOfCountry, occurrenceWithin, periodOf, renderPlaceholders } from '../domain/recurrence.ts';
import { findInvoice } from '../db/invoices.repository.ts';
import {
  advanceSchedule,
  claimDueSchedule,
  claimPendingOccurrence,
  dueScheduleIds,
  finishOccurrence,
  insertOccurrence,
  pendingOccurrenceKeys,
  setOccurrenceInvoice,
  type OccurrenceRow,
  type RecurringRow,
} from '../db/recurring.repository.ts';
import { createDraft } from './drafts.ts';
import { issueInvoice } from './issue.ts';
import { ruleOf, type RecurringDeps } from './recurring.ts';
import { sendInvoice } from './send.ts';

/** What one wake did. */
export interface WakeResult {
  created: number;
  completed: number;
  failed: number;
}

/** One wake's limits. */
export interface WakeOptions {
  /** At most this many occurrences of one schedule (catch-up). */
  catchUpLimit: number;
  batchSize?: number;
}

type OccurrenceKey = { scheduleId: string; occurrenceDate: IsoDate };

const NO_CONDITION = parseIfMatch(undefined);

/** Runs one wake at the clock's time: finishes pending occurrences, then creates the due ones. */
export async function runRecurring(deps: RecurringDeps, options: WakeOptions): Promise<WakeResult> {
  const now = deps.clock.now();
  const today = todayUtc(now);
  const batchSize = options.batchSize ?? 100;
  const result: WakeResult = { created: 0, completed: 0, failed: 0 };
  const tally = (outcome: Outcome) => {
    if (outcome === 'completed') result.completed += 1;
    if (outcome === 'failed') result.failed += 1;
  };
  // Left pending by a crash (or a transient failure) in an earlier wake.
  for (const key of await pendingOccurrenceKeys(deps.orm.em, batchSize))
    tally(await completeOccurrence(deps, key));
  let afterId: string | undefined;
  for (;;) {
    const ids = await dueScheduleIds(deps.orm.em, today, afterId, batchSize);
    for (const id of ids) {
      for (let n = 0; n < options.catchUpLimit; n += 1) {
        const created = await createNextOccurrence(deps, id, today);
        if (!created) break;
        if (created.occurrence) result.created += 1;
        if (created.failed) result.failed += 1;
        if (created.occurrence?.status === 'pending')
          tally(await completeOccurrence(deps, created.occurrence));
      }
    }
    if (ids.length < batchSize) break;
    afterId = ids.at(-1);
  }
  if (result.created + result.completed + result.failed > 0)
    deps.logger.info({ today, ...result }, 'recurring wake');
  return result;
}

/** What creating one occurrence did: the occurrence recorded (none when its key existed), or a failure. */
type Created = { occurrence?: OccurrenceRow; failed?: boolean };

/** The draft of an occurrence: the template with its placeholders rendered for the period. */
async function draftBody(
  deps: RecurringDeps,
  schedule: RecurringRow,
  date: IsoDate,
  period: { start: IsoDate; end: IsoDate },
) {
  const locale =
    schedule.locale ??
    localeOfCountry(
      (await deps.replicas.organization(schedule.orgId).catch(() => undefined))?.address?.country,
    );
  return {
    clientId: schedule.clientId,
    issueDate: date,
    ...(schedule.currency ? { currency: schedule.currency } : {}),
    ...(schedule.paymentTermsDays !== null ? { paymentTermsDays: schedule.paymentTermsDays } : {}),
    paymentMethod: schedule.paymentMethod,
    notes: schedule.notes === null ? null : renderPlaceholders(schedule.notes, period, locale),
    lines: schedule.lines.map((line) =>
      line.description === undefined
        ? line
        : { ...line, description: renderPlaceholders(line.description, period, locale) },
    ),
  };
}

/**
 * Creates the schedule's next occurrence if it is due and no one else holds it: one transaction for
 * the occurrence row, its draft, their events and the schedule's move. Undefined when there was
 * nothing to do. A draft the template cannot make (client deleted, product gone...) is recorded as
 * a failed occurrence without invoice, and the schedule moves on; an unavailable dependency leaves
 * everything as it was for the next wake.
 */
async function createNextOccurrence(
  deps: RecurringDeps,
  id: string,
  today: IsoDate,
): Promise<Created | undefined> {
  try {
    return await inTransaction(deps.orm, async (em) => {
      const schedule = await claimDueSchedule(em, id, today);
      if (!schedule?.nextDate) return undefined;
      const rule = ruleOf(schedule);
      const index = schedule.nextIndex;
      const period = periodOf(rule, index);
      const now = deps.clock.now();
      const occurrence: OccurrenceRow = {
        scheduleId: schedule.id,
        occurrenceDate: schedule.nextDate,
        sequence: index + 1,
        orgId: schedule.orgId,
        periodStart: period.start,
        periodEnd: period.end,
        action: schedule.action,
        invoiceId: null,
        status: schedule.action === 'draft' ? 'draft' : 'pending',
        failureCode: null,
        failureDetail: null,
        createdAt: now,
        updatedAt: now,
      };
      const recorded = await insertOccurrence(em, occurrence);
      const next = occurrenceWithin(rule, index + 1);
      await advanceSchedule(em, schedule.id, { index: index + 1, date: next, created: recorded, at: now });
      if (!recorded) return {};
      const body = await draftBody(deps, schedule, schedule.nextDate, period);
      const draft = await createDraft(deps, schedule.orgId, body, schedule.createdBy ?? undefined);
      occurrence.invoiceId = draft.invoice.id;
      await setOccurrenceInvoice(em, occurrence, draft.invoice.id);
      await enqueueEvent(
        em,
        occurrenceEvent(Subjects.RecurringOccurrenceCreated, occurrence, { invoiceId: draft.invoice.id }),
      );
      deps.logger.debug(
        { recurringId: id, occurrenceDate: occurrence.occurrenceDate, invoiceId: draft.invoice.id },
        'occurrence created',
      );
      return { occurrence };
    });
  } catch (error) {
    if (!isRefusal(error)) {
      deps.logger.warn({ err: error, recurringId: id }, 'occurrence not created; retried on the next wake');
      return undefined;
    }
    return recordUncreatable(deps, id, today, error);
  }
}

/** Records an occurrence whose draft was refused as failed (no invoice) and moves the schedule on. */
async function recordUncreatable(
  deps: RecurringDeps,
  id: string,
  today: IsoDate,
  error: AppError,
): Promise<Created | undefined> {
  return inTransaction(deps.orm, async (em) => {
    const schedule = await claimDueSchedule(em, id, today);
    if (!schedule?.nextDate) return undefined;
    const rule = ruleOf(schedule);
    const index = schedule.nextIndex;
    const period = periodOf(rule, index);
    const now = deps.clock.now();
    const occurrence: OccurrenceRow = {
      scheduleId: schedule.id,
      occurrenceDate: schedule.nextDate,
      sequence: index + 1,
      orgId: schedule.orgId,
      periodStart: period.start,
      periodEnd: period.end,
      action: schedule.action,
      invoiceId: null,
      status: 'failed',
      failureCode: error.code,
      failureDetail: error.message,
      createdAt: now,
      updatedAt: now,
    };
    const recorded = await insertOccurrence(em, occurrence);
    if (recorded)
      await finishOccurrence(em, occurrence, { status: 'failed', failure: failureOf(error), at: now });
    await advanceSchedule(em, schedule.id, {
      index: index + 1,
      date: occurrenceWithin(rule, index + 1),
      created: recorded,
      at: now,
    });
    if (recorded)
      await enqueueEvent(
        em,
        occurrenceEvent(Subjects.RecurringOccurrenceFailed, occurrence, failureOf(error)),
      );
    deps.logger.warn(
      { recurringId: id, occurrenceDate: occurrence.occurrenceDate, code: error.code },
      'occurrence failed',
    );
    return { failed: true };
  });
}

type Outcome = 'completed' | 'failed' | 'skipped';

/**
 * Issues (and sends) a pending occurrence's draft, each step in one transaction with the
 * occurrence's new status; a refusal is recorded on the occurrence and the draft (or issued
 * invoice) is kept.
 */
export async function completeOccurrence(deps: RecurringDeps, key: OccurrenceKey): Promise<Outcome> {
  // At most two steps: issue, then send.
  for (let step = 0; step < 2; step += 1) {
    let again = false;
    try {
      const outcome = await inTransaction(deps.orm, async (em) => {
        const occurrence = await claimPendingOccurrence(em, key);
        if (!occurrence) return 'skipped' as const;
        const at = deps.clock.now();
        const invoice = occurrence.invoiceId
          ? await findInvoice(em, occurrence.orgId, occurrence.invoiceId)
          : null;
        if (!invoice)
          throw new AppError('NOT_FOUND', {
            detail: 'The occurrence’s draft was deleted before it was issued',
          });
        if (invoice.status === 'draft') {
          await issueInvoice(deps, occurrence.orgId, invoice.id, NO_CONDITION);
          if (occurrence.action === 'issue_and_send') {
            again = true;
            return 'skipped' as const;
          }
          await finishOccurrence(em, key, { status: 'issued', at });
          return 'completed' as const;
        }
        if (occurrence.action === 'issue_and_send') {
          await sendInvoice(deps, occurrence.orgId, invoice.id, {});
          await finishOccurrence(em, key, { status: 'sent', at });
        } else {
          await finishOccurrence(em, key, { status: 'issued', at });
        }
        return 'completed' as const;
      });
      if (!again) return outcome;
    } catch (error) {
      if (!isRefusal(error)) {
        deps.logger.warn({ err: error, ...key }, 'occurrence not completed; retried on the next wake');
        return 'skipped';
      }
      return recordFailure(deps, key, error);
    }
  }
  return 'completed';
}

/** Records a refused issue or send on the pending occurrence (the invoice is kept as it is). */
async function recordFailure(deps: RecurringDeps, key: OccurrenceKey, error: AppError): Promise<Outcome> {
  return inTransaction(deps.orm, async (em) => {
    const occurrence = await claimPendingOccurrence(em, key);
    if (!occurrence) return 'skipped' as const;
    const failure = failureOf(error);
    await finishOccurrence(em, key, { status: 'failed', failure, at: deps.clock.now() });
    await enqueueEvent(
      em,
      occurrenceEvent(Subjects.RecurringOccurrenceFailed, occurrence, {
        ...failure,
        ...(occurrence.invoiceId ? { invoiceId: occurrence.invoiceId } : {}),
      }),
    );
    deps.logger.warn({ ...key, code: error.code }, 'occurrence failed');
    return 'failed' as const;
  });
}

/** A refusal (bad data, a conflict): recorded as a failure. Anything else is retried later. */
function isRefusal(error: unknown): error is AppError {
  return error instanceof AppError && error.kind !== 'unavailable' && error.kind !== 'internal';
}

function failureOf(error: AppError): { code: string; detail: string } {
  const field = error.errors[0];
  const detail = field ? `${field.field} ${field.message}` : error.message;
  return { code: error.code, detail };
}

function occurrenceEvent<T extends Partial<RecurringOccurrenceCreated & RecurringOccurrenceFailed>>(
  type: typeof Subjects.RecurringOccurrenceCreated | typeof Subjects.RecurringOccurrenceFailed,
  occurrence: OccurrenceRow,
  extra: T,
) {
  return createEnvelope({
    type,
    source: 'invoicing',
    orgId: occurrence.orgId,
    subject: occurrence.scheduleId,
    data: {
      scheduleId: occurrence.scheduleId,
      sequence: occurrence.sequence,
      occurrenceDate: occurrence.occurrenceDate,
      periodStart: occurrence.periodStart,
      periodEnd: occurrence.periodEnd,
      action: occurrence.action,
      ...extra,
    },
  });
}

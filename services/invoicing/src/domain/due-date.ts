/**
 * Issue and due dates of a draft: the due date is either given, or the issue date plus payment terms
 * (the body's, else the client's, else the service default). Terms are remembered so that moving the
 * issue date of a draft moves its due date with it.
 */
import { AppError, type IsoDate } from '@invoice/contracts';

/** The dates of a draft. `paymentTermsDays` is null when the due date was given explicitly. */
export interface DraftDates {
  issueDate: IsoDate;
  dueDate: IsoDate;
  paymentTermsDays: number | null;
}

/** What a request asks to change. */
export interface DatesChange {
  issueDate?: IsoDate | undefined;
  dueDate?: IsoDate | undefined;
  paymentTermsDays?: number | undefined;
}

const DAY_MS = 86_400_000;

/** Today's date in UTC (`YYYY-MM-DD`). */
export function todayUtc(now: Date = new Date()): IsoDate {
  return now.toISOString().slice(0, 10);
}

/** Calendar arithmetic on ISO dates, in UTC so no daylight-saving shift can move a day. */
export function addDays(date: IsoDate, days: number): IsoDate {
  const time = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(time)) throw new RangeError(`not an ISO date: ${date}`);
  return new Date(time + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Applies a change to a draft's dates (`base` is the current state, or for a new draft today's date
 * with the default terms). Throws VALIDATION_FAILED naming the field when both a due date and terms
 * are given, or when the due date would fall before the issue date.
 */
export function scheduleDates(
  change: DatesChange,
  base: { issueDate: IsoDate; dueDate?: IsoDate; paymentTermsDays: number | null },
): DraftDates {
  if (change.dueDate !== undefined && change.paymentTermsDays !== undefined) {
    throw AppError.field(
      'VALIDATION_FAILED',
      '/paymentTermsDays',
      'give either dueDate or paymentTermsDays, not both',
    );
  }
  const issueDate = change.issueDate ?? base.issueDate;
  let dates: DraftDates;
  if (change.dueDate !== undefined) {
    dates = { issueDate, dueDate: change.dueDate, paymentTermsDays: null };
  } else {
    const terms = change.paymentTermsDays ?? base.paymentTermsDays;
    const dueDate = terms === null ? base.dueDate : addDays(issueDate, terms);
    if (dueDate === undefined) throw new RangeError('a draft without payment terms needs a due date');
    dates = { issueDate, dueDate, paymentTermsDays: terms };
  }
  if (dates.dueDate < dates.issueDate) {
    const field = change.dueDate === undefined && change.issueDate !== undefined ? '/issueDate' : '/dueDate';
    throw AppError.field(
      'VALIDATION_FAILED',
      field,
      `the due date ${dates.dueDate} is before the issue date ${dates.issueDate}`,
    );
  }
  return dates;
}

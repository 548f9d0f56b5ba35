/** A quote's dates: its date and the last day its offer stands (inclusive). */
import { AppError, type IsoDate } from '@invoice/contracts';
import { addDays } from './due-date.ts';

/** The quote's date and validity after a change: given dates win, else the stored ones, else the defaults. */
export function quoteDates(
  change: { issueDate?: IsoDate | undefined; validUntil?: IsoDate | undefined },
  base: { issueDate: IsoDate; validUntil?: IsoDate | undefined },
  validityDays: number,
): { issueDate: IsoDate; validUntil: IsoDate } {
  const issueDate = change.issueDate ?? base.issueDate;
  const validUntil = change.validUntil ?? base.validUntil ?? addDays(issueDate, validityDays);
  if (validUntil < issueDate) {
    throw AppError.field(
      'VALIDATION_FAILED',
      '/validUntil',
      'must be on or after the quote date (issueDate)',
    );
  }
  return { issueDate, validUntil };
}

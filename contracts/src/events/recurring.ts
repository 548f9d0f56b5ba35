/** Events of recurring invoices: one per occurrence created, one per occurrence that failed. */
import { Type, type Static } from 'typebox';
import { DateSchema, IdSchema } from '../primitives.ts';

const occurrenceProperties = {
  scheduleId: IdSchema,
  /** 1 for the first occurrence of the schedule. */
  sequence: Type.Integer({ minimum: 1 }),
  occurrenceDate: DateSchema,
  periodStart: DateSchema,
  periodEnd: DateSchema,
  action: Type.Union([Type.Literal('draft'), Type.Literal('issue'), Type.Literal('issue_and_send')]),
};

/**
 * A schedule's occurrence created its draft invoice (in the same transaction; the invoice's own
 * `invoicing.invoice.*` events follow as it is issued and sent). Published once per (schedule, date).
 */
export const RecurringOccurrenceCreatedSchema = Type.Object({
  ...occurrenceProperties,
  invoiceId: IdSchema,
});
export type RecurringOccurrenceCreated = Static<typeof RecurringOccurrenceCreatedSchema>;

/**
 * An occurrence could not be completed: its draft could not be created (`invoiceId` absent) or
 * could not be issued or sent (the draft is kept). `code` is an error code of the public API.
 */
export const RecurringOccurrenceFailedSchema = Type.Object({
  ...occurrenceProperties,
  invoiceId: Type.Optional(IdSchema),
  code: Type.String(),
  detail: Type.String(),
});
export type RecurringOccurrenceFailed = Static<typeof RecurringOccurrenceFailedSchema>;

/**
 * Public HTTP schemas of recurring invoices: a template (client, lines, currency, terms, notes), a
 * schedule (every N days, weeks or months; month-end aware), and what each occurrence does (draft,
 * issue, or issue and send). Each occurrence is one invoice, keyed by (schedule, occurrence date).
 */
import { Type, type Static } from 'typebox';
import { CurrencyCodeSchema, DateSchema, DateTimeSchema, IdSchema } from '../primitives.ts';
import { DraftLineInputSchema, PaymentMethodSchema } from './invoicing.ts';

/** How often: every `interval` days, weeks or months. */
export const RecurrenceFrequencySchema = Type.Union([
  Type.Literal('day'),
  Type.Literal('week'),
  Type.Literal('month'),
]);
export type RecurrenceFrequency = Static<typeof RecurrenceFrequencySchema>;

/** What each occurrence does with its invoice. */
export const RecurringActionSchema = Type.Union(
  [Type.Literal('draft'), Type.Literal('issue'), Type.Literal('issue_and_send')],
  {
    description:
      '`draft`: create a draft; `issue`: create and issue it; `issue_and_send`: also email it to the client',
  },
);
export type RecurringAction = Static<typeof RecurringActionSchema>;

/** `active` creates invoices when due; `paused` does not; `completed` reached its end. */
export const RecurringStatusSchema = Type.Union([
  Type.Literal('active'),
  Type.Literal('paused'),
  Type.Literal('completed'),
]);
export type RecurringStatus = Static<typeof RecurringStatusSchema>;

/** When invoices are created. */
export const RecurrenceScheduleSchema = Type.Object(
  {
    frequency: RecurrenceFrequencySchema,
    /** Every `interval` units (every 3 months: `month`, 3). */
    interval: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 1 })),
    /**
     * Months only: the day of the month (default: the start date's). A day the month lacks is its
     * last day (31 → 28 February, 30 April), and the next month goes back to the 31st.
     */
    dayOfMonth: Type.Optional(Type.Integer({ minimum: 1, maximum: 31 })),
    /** The first occurrence is on or after this date. */
    startDate: DateSchema,
    /** Stop after this many invoices. */
    endAfterCount: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 10_000 }), Type.Null()])),
    /** No occurrence after this date. */
    endDate: Type.Optional(Type.Union([DateSchema, Type.Null()])),
  },
  { additionalProperties: false },
);
export type RecurrenceSchedule = Static<typeof RecurrenceScheduleSchema>;

/**
 * A line of the template. `description` may carry `{period_start}`, `{period_end}` and `{month}`,
 * rendered for each occurrence in the schedule's locale.
 */
export const RecurringLineInputSchema = DraftLineInputSchema;

const templateProperties = {
  currency: Type.Optional(CurrencyCodeSchema),
  /** Due date = issue date + these days (default: the client's terms, else the service default). */
  paymentTermsDays: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 730 }), Type.Null()])),
  paymentMethod: Type.Optional(Type.Union([PaymentMethodSchema, Type.Null()])),
  notes: Type.Optional(Type.Union([Type.String({ maxLength: 5000 }), Type.Null()])),
  lines: Type.Array(RecurringLineInputSchema, { minItems: 1, maxItems: 500 }),
  action: Type.Optional(RecurringActionSchema),
  /**
   * BCP 47 locale the placeholders are rendered in (default: the organization's, from its
   * country, e.g. `de-DE` for DE; else `en`).
   */
  locale: Type.Optional(Type.Union([Type.String({ minLength: 2, maxLength: 35 }), Type.Null()])),
};

/** `POST /v1/recurring-invoices`. */
export const CreateRecurringInvoiceBodySchema = Type.Object(
  { clientId: IdSchema, ...templateProperties, schedule: RecurrenceScheduleSchema },
  { additionalProperties: false },
);
export type CreateRecurringInvoiceBody = Static<typeof CreateRecurringInvoiceBodySchema>;

/**
 * `PATCH /v1/recurring-invoices/{id}`: replaces the given fields. The template and the end may
 * change at any time (later occurrences use them); the rest of the schedule only before its first
 * occurrence.
 */
export const UpdateRecurringInvoiceBodySchema = Type.Object(
  {
    clientId: Type.Optional(IdSchema),
    ...templateProperties,
    lines: Type.Optional(templateProperties.lines),
    schedule: Type.Optional(RecurrenceScheduleSchema),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateRecurringInvoiceBody = Static<typeof UpdateRecurringInvoiceBodySchema>;

/** A recurring invoice: template, schedule and progress. */
export const RecurringInvoiceSchema = Type.Object({
  id: IdSchema,
  status: RecurringStatusSchema,
  clientId: IdSchema,
  currency: Type.Union([CurrencyCodeSchema, Type.Null()]),
  paymentTermsDays: Type.Union([Type.Integer(), Type.Null()]),
  paymentMethod: Type.Union([PaymentMethodSchema, Type.Null()]),
  notes: Type.Union([Type.String(), Type.Null()]),
  /** The template's lines as given (descriptions with their placeholders). */
  lines: Type.Array(Type.Object({ ...DraftLineInputSchema.properties })),
  action: RecurringActionSchema,
  locale: Type.Union([Type.String(), Type.Null()]),
  schedule: RecurrenceScheduleSchema,
  /** The date of the next invoice; null when paused past its end or completed. */
  nextOccurrenceDate: Type.Union([DateSchema, Type.Null()]),
  /** How many occurrences were created so far. */
  occurrencesCreated: Type.Integer({ minimum: 0 }),
  version: Type.Integer({ minimum: 1 }),
  createdAt: DateTimeSchema,
  updatedAt: DateTimeSchema,
});
export type RecurringInvoice = Static<typeof RecurringInvoiceSchema>;

/** `GET /v1/recurring-invoices` query: cursor pagination, newest first. */
export const RecurringInvoiceListQuerySchema = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    status: Type.Optional(RecurringStatusSchema),
    clientId: Type.Optional(IdSchema),
  },
  { additionalProperties: false },
);
export type RecurringInvoiceListQuery = Static<typeof RecurringInvoiceListQuerySchema>;

/** A page of recurring invoices. */
export const RecurringInvoicePageSchema = Type.Object({
  items: Type.Array(RecurringInvoiceSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

/** Path parameters of `/v1/recurring-invoices/{id}`. */
export const RecurringInvoiceParamsSchema = Type.Object({ id: IdSchema });

/**
 * Where an occurrence is: `pending` (its draft exists, issuing is still to be done), `draft`,
 * `issued`, `sent` (issued and the email requested), or `failed` (see `failure`; the draft, if one
 * was created, is kept).
 */
export const OccurrenceStatusSchema = Type.Union([
  Type.Literal('pending'),
  Type.Literal('draft'),
  Type.Literal('issued'),
  Type.Literal('sent'),
  Type.Literal('failed'),
]);
export type OccurrenceStatus = Static<typeof OccurrenceStatusSchema>;

/** One occurrence of a schedule: the invoice it created for its date. */
export const RecurringOccurrenceSchema = Type.Object({
  /** 1 for the first occurrence. */
  sequence: Type.Integer({ minimum: 1 }),
  occurrenceDate: DateSchema,
  periodStart: DateSchema,
  periodEnd: DateSchema,
  /** The invoice (a draft when issuing failed); null when not even the draft could be created. */
  invoiceId: Type.Union([IdSchema, Type.Null()]),
  status: OccurrenceStatusSchema,
  /** Why issuing or sending failed (an error code of this API and its detail). */
  failure: Type.Union([Type.Object({ code: Type.String(), detail: Type.String() }), Type.Null()]),
  createdAt: DateTimeSchema,
  updatedAt: DateTimeSchema,
});
export type RecurringOccurrence = Static<typeof RecurringOccurrenceSchema>;

/** `GET /v1/recurring-invoices/{id}/occurrences`: every occurrence, oldest first. */
export const RecurringOccurrenceListSchema = Type.Object({ items: Type.Array(RecurringOccurrenceSchema) });

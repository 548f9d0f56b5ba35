/**
 * Public HTTP schemas of quotes: the same lines, money engine and validation as invoice drafts, a
 * validity date instead of a due date, and the lifecycle draft → sent → accepted / declined / expired
 * → converted (an accepted quote becomes a draft invoice once).
 */
import { Type, type Static } from 'typebox';
import { CurrencyCodeSchema, DateSchema, DateTimeSchema, IdSchema } from '../primitives.ts';
import {
  AllowanceChargeSchema,
  PriceModeSchema,
  TaxBreakdownSchema,
  TotalsSchema,
  VatBreakdownSchema,
} from '../invoicing/document-input.ts';
import { PartySchema } from '../events/invoicing.ts';
import { QuoteStatusSchema } from '../events/quotes.ts';
import { DraftLineInputSchema, InvoiceLineSchema, PaymentMethodSchema } from './invoicing.ts';

const quoteDraftProperties = {
  currency: Type.Optional(CurrencyCodeSchema),
  /** The quote's date (default today). */
  issueDate: Type.Optional(DateSchema),
  /** Last day the offer stands (default: the quote's date plus the service's validity days). */
  validUntil: Type.Optional(DateSchema),
  paymentMethod: Type.Optional(Type.Union([PaymentMethodSchema, Type.Null()])),
  notes: Type.Optional(Type.Union([Type.String({ maxLength: 5000 }), Type.Null()])),
  priceMode: Type.Optional(PriceModeSchema),
  lines: Type.Array(DraftLineInputSchema, { maxItems: 5000 }),
  allowances: Type.Optional(Type.Array(AllowanceChargeSchema, { maxItems: 50 })),
  charges: Type.Optional(Type.Array(AllowanceChargeSchema, { maxItems: 50 })),
};

/** `POST /v1/quotes`: a new draft quote. */
export const CreateQuoteBodySchema = Type.Object(
  { clientId: IdSchema, ...quoteDraftProperties },
  { additionalProperties: false },
);
export type CreateQuoteBody = Static<typeof CreateQuoteBodySchema>;

/** `PATCH /v1/quotes/{id}`: replaces the given fields of a draft quote (lines as a whole). */
export const UpdateQuoteBodySchema = Type.Object(
  {
    clientId: Type.Optional(IdSchema),
    ...quoteDraftProperties,
    lines: Type.Optional(quoteDraftProperties.lines),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateQuoteBody = Static<typeof UpdateQuoteBodySchema>;

const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

/** A quote in a list (no lines, no breakdowns). */
export const QuoteSummarySchema = Type.Object(
  {
    id: IdSchema,
    type: Type.Literal('quote'),
    status: QuoteStatusSchema,
    /** Null until the quote is first sent (it is numbered then, from the `quote` number series). */
    number: nullable(Type.String()),
    clientId: IdSchema,
    buyerName: nullable(Type.String()),
    currency: CurrencyCodeSchema,
    issueDate: DateSchema,
    validUntil: DateSchema,
    totals: TotalsSchema,
    /** The draft invoice it was converted into (null until converted). */
    invoiceId: nullable(IdSchema),
    /** Optimistic-concurrency version; the `ETag` is `"<version>"`. */
    version: Type.Integer({ minimum: 1 }),
    createdAt: DateTimeSchema,
    updatedAt: DateTimeSchema,
  },
  { title: 'QuoteSummary' },
);
export type QuoteSummary = Static<typeof QuoteSummarySchema>;

/** A quote with its lines, totals, parties (frozen when sent) and who decided it and when. */
export const QuoteSchema = Type.Object(
  {
    ...QuoteSummarySchema.properties,
    paymentMethod: nullable(PaymentMethodSchema),
    notes: nullable(Type.String()),
    priceMode: PriceModeSchema,
    lines: Type.Array(InvoiceLineSchema),
    allowances: Type.Array(AllowanceChargeSchema),
    charges: Type.Array(AllowanceChargeSchema),
    vatBreakdown: Type.Array(VatBreakdownSchema),
    taxBreakdown: Type.Array(TaxBreakdownSchema),
    seller: nullable(PartySchema),
    buyer: nullable(PartySchema),
    sentAt: nullable(DateTimeSchema),
    acceptedAt: nullable(DateTimeSchema),
    acceptedBy: nullable(IdSchema),
    declinedAt: nullable(DateTimeSchema),
    declinedBy: nullable(IdSchema),
    declineReason: nullable(Type.String()),
    expiredAt: nullable(DateTimeSchema),
    convertedAt: nullable(DateTimeSchema),
    convertedBy: nullable(IdSchema),
  },
  { title: 'Quote' },
);
export type Quote = Static<typeof QuoteSchema>;

/** `GET /v1/quotes` query: cursor pagination, newest first, with filters. */
export const QuoteListQuerySchema = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    status: Type.Optional(QuoteStatusSchema),
    clientId: Type.Optional(IdSchema),
    /** Quote date on or after (inclusive). */
    issueDateFrom: Type.Optional(DateSchema),
    /** Quote date on or before (inclusive). */
    issueDateTo: Type.Optional(DateSchema),
  },
  { additionalProperties: false },
);
export type QuoteListQuery = Static<typeof QuoteListQuerySchema>;

/** A page of quotes. */
export const QuotePageSchema = Type.Object({
  items: Type.Array(QuoteSummarySchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

/** Path parameters of `/v1/quotes/{id}`. */
export const QuoteParamsSchema = Type.Object({ id: IdSchema });

/** `POST /v1/quotes/{id}/decline`: an optional reason. */
export const DeclineQuoteBodySchema = Type.Object(
  { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) },
  { additionalProperties: false },
);
export type DeclineQuoteBody = Static<typeof DeclineQuoteBodySchema>;

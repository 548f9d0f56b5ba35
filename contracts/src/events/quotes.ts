/** Events of quotes (`invoicing.quote.*`): one per transition of the quote lifecycle. */
import { Type, type Static } from 'typebox';
import { CurrencyCodeSchema, DateSchema, DecimalStringSchema, EmailSchema, IdSchema } from '../primitives.ts';
import { InvoiceSnapshotSchema, InvoiceTotalsSnapshotSchema } from './invoicing.ts';

/** A quote statuses as the events and the API name them. */
export const QuoteStatusSchema = Type.Union([
  Type.Literal('draft'),
  Type.Literal('sent'),
  Type.Literal('accepted'),
  Type.Literal('declined'),
  Type.Literal('expired'),
  Type.Literal('converted'),
]);
export type QuoteStatus = Static<typeof QuoteStatusSchema>;

/** A draft quote was created or edited (`totals`), or deleted. */
export const QuoteUpdatedSchema = Type.Object({
  quoteId: IdSchema,
  status: Type.Literal('draft'),
  deleted: Type.Optional(Type.Boolean()),
  totals: Type.Optional(InvoiceTotalsSnapshotSchema),
});
export type QuoteUpdated = Static<typeof QuoteUpdatedSchema>;

/**
 * A quote was sent (numbered and frozen on its first send): the document service renders `quote` (a
 * snapshot of type `quote` with `validUntil`), the notification service emails it to `to` with the PDF.
 */
export const QuoteSentSchema = Type.Object({
  requestId: IdSchema,
  quote: InvoiceSnapshotSchema,
  number: Type.String(),
  validUntil: DateSchema,
  to: Type.Array(EmailSchema, { minItems: 1, maxItems: 20 }),
  sellerName: Type.String(),
  buyerName: Type.String(),
  gross: DecimalStringSchema,
  currency: CurrencyCodeSchema,
  /** The member who created the quote (who may see its documents and emails without `all_invoices_access`). */
  createdBy: Type.Optional(IdSchema),
});
export type QuoteSent = Static<typeof QuoteSentSchema>;

/** A sent quote was accepted, declined, or expired: who (absent for expiry) and when. */
export const QuoteDecidedSchema = Type.Object({
  quoteId: IdSchema,
  number: Type.String(),
  status: Type.Union([Type.Literal('accepted'), Type.Literal('declined'), Type.Literal('expired')]),
  at: Type.String({ format: 'date-time' }),
  by: Type.Optional(IdSchema),
  reason: Type.Optional(Type.String()),
  validUntil: DateSchema,
});
export type QuoteDecided = Static<typeof QuoteDecidedSchema>;

/** An accepted quote became a draft invoice (once). */
export const QuoteConvertedSchema = Type.Object({
  quoteId: IdSchema,
  number: Type.String(),
  invoiceId: IdSchema,
  at: Type.String({ format: 'date-time' }),
  by: Type.Optional(IdSchema),
});
export type QuoteConverted = Static<typeof QuoteConvertedSchema>;

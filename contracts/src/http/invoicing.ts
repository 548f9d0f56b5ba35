/**
 * Public HTTP schemas of the invoicing service: drafts in, invoices out. The pricing fields (lines,
 * allowances, charges, totals, VAT breakdown) are the money engine's (`../invoicing/document-input.ts`);
 * the server always computes the totals, so a body that carries them is rejected.
 */
import { Type, type Static } from 'typebox';
import {
  CurrencyCodeSchema,
  DateSchema,
  DateTimeSchema,
  EmailSchema,
  IdSchema,
  NonNegativeDecimalStringSchema,
} from '../primitives.ts';
import {
  AllowanceChargeSchema,
  LineInputSchema,
  PriceModeSchema,
  TaxBreakdownSchema,
  TotalsSchema,
  VatBreakdownSchema,
  VatCategorySchema,
} from '../invoicing/document-input.ts';
import { PartySchema } from '../events/invoicing.ts';

/** How the buyer is expected to pay: a code, never a display label (the original stored labels). */
export const PaymentMethodSchema = Type.Union(
  [
    Type.Literal('bank_transfer'),
    Type.Literal('cash'),
    Type.Literal('check'),
    Type.Literal('card'),
    Type.Literal('direct_deposit'),
    Type.Literal('paypal'),
    Type.Literal('wire_transfer'),
  ],
  { description: 'Payment method code' },
);
export type PaymentMethod = Static<typeof PaymentMethodSchema>;

/** Lifecycle of an invoice: a draft is editable and unnumbered; everything after issue is frozen. */
export const InvoiceStatusSchema = Type.Union([
  Type.Literal('draft'),
  Type.Literal('issued'),
  Type.Literal('partially_paid'),
  Type.Literal('paid'),
  Type.Literal('overdue'),
  Type.Literal('void'),
]);
export type InvoiceStatus = Static<typeof InvoiceStatusSchema>;

const lineProperties = LineInputSchema.properties;

/**
 * A draft line as the API takes it: the engine's line (BG-25), where a line naming a product may omit
 * `description`, `unitCode`, `unitPrice` and `vatRate` (they are copied from the product), and
 * `vatCategory` defaults to S (standard rate), or Z when the rate is 0.
 */
export const DraftLineInputSchema = Type.Object(
  {
    ...lineProperties,
    description: Type.Optional(lineProperties.description),
    unitCode: Type.Optional(lineProperties.unitCode),
    unitPrice: Type.Optional(lineProperties.unitPrice),
    vatCategory: Type.Optional(VatCategorySchema),
  },
  { additionalProperties: false },
);
export type DraftLineInput = Static<typeof DraftLineInputSchema>;

const draftProperties = {
  currency: Type.Optional(CurrencyCodeSchema),
  issueDate: Type.Optional(DateSchema),
  /** Give either `dueDate` or `paymentTermsDays` (default: the client's terms, else the service default). */
  dueDate: Type.Optional(DateSchema),
  paymentTermsDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 730 })),
  paymentMethod: Type.Optional(Type.Union([PaymentMethodSchema, Type.Null()])),
  notes: Type.Optional(Type.Union([Type.String({ maxLength: 5000 }), Type.Null()])),
  priceMode: Type.Optional(PriceModeSchema),
  lines: Type.Array(DraftLineInputSchema, { maxItems: 5000 }),
  allowances: Type.Optional(Type.Array(AllowanceChargeSchema, { maxItems: 50 })),
  charges: Type.Optional(Type.Array(AllowanceChargeSchema, { maxItems: 50 })),
  /** Amount already paid before this invoice (BT-113). */
  prepaid: Type.Optional(NonNegativeDecimalStringSchema),
};

/** `POST /v1/invoices`: a new draft. */
export const CreateInvoiceBodySchema = Type.Object(
  { clientId: IdSchema, ...draftProperties },
  { additionalProperties: false },
);
export type CreateInvoiceBody = Static<typeof CreateInvoiceBodySchema>;

/** `PATCH /v1/invoices/{id}`: replaces the given fields of a draft (lines as a whole). */
export const UpdateInvoiceBodySchema = Type.Object(
  {
    clientId: Type.Optional(IdSchema),
    ...draftProperties,
    lines: Type.Optional(draftProperties.lines),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateInvoiceBody = Static<typeof UpdateInvoiceBodySchema>;

/** A stored line: what was entered (after copying product data) plus its computed net (BT-131). */
export const InvoiceLineSchema = Type.Object({
  position: Type.Integer({ minimum: 1 }),
  ...lineProperties,
  /** Invoice line net amount (BT-131), computed by the server. */
  net: Type.String(),
});
export type InvoiceLine = Static<typeof InvoiceLineSchema>;

/** An invoice (draft or issued). `number`, `seller`, `buyer` and `issuedAt` are null until issue. */
export const InvoiceSchema = Type.Object({
  id: IdSchema,
  type: Type.Literal('invoice'),
  status: InvoiceStatusSchema,
  number: Type.Union([Type.String(), Type.Null()]),
  clientId: IdSchema,
  currency: CurrencyCodeSchema,
  issueDate: DateSchema,
  dueDate: DateSchema,
  paymentTermsDays: Type.Union([Type.Integer(), Type.Null()]),
  paymentMethod: Type.Union([PaymentMethodSchema, Type.Null()]),
  notes: Type.Union([Type.String(), Type.Null()]),
  priceMode: PriceModeSchema,
  lines: Type.Array(InvoiceLineSchema),
  allowances: Type.Array(AllowanceChargeSchema),
  charges: Type.Array(AllowanceChargeSchema),
  prepaid: Type.String(),
  totals: TotalsSchema,
  vatBreakdown: Type.Array(VatBreakdownSchema),
  taxBreakdown: Type.Array(TaxBreakdownSchema),
  seller: Type.Union([PartySchema, Type.Null()]),
  buyer: Type.Union([PartySchema, Type.Null()]),
  /** Optimistic-concurrency version; the `ETag` is `"<version>"`. */
  version: Type.Integer({ minimum: 1 }),
  issuedAt: Type.Union([DateTimeSchema, Type.Null()]),
  lastSentAt: Type.Union([DateTimeSchema, Type.Null()]),
  createdAt: DateTimeSchema,
  updatedAt: DateTimeSchema,
});
export type Invoice = Static<typeof InvoiceSchema>;

/** An invoice in a list (no lines, no breakdowns). */
export const InvoiceSummarySchema = Type.Object({
  id: IdSchema,
  type: Type.Literal('invoice'),
  status: InvoiceStatusSchema,
  number: Type.Union([Type.String(), Type.Null()]),
  clientId: IdSchema,
  buyerName: Type.Union([Type.String(), Type.Null()]),
  currency: CurrencyCodeSchema,
  issueDate: DateSchema,
  dueDate: DateSchema,
  totals: TotalsSchema,
  version: Type.Integer({ minimum: 1 }),
  issuedAt: Type.Union([DateTimeSchema, Type.Null()]),
  lastSentAt: Type.Union([DateTimeSchema, Type.Null()]),
  createdAt: DateTimeSchema,
  updatedAt: DateTimeSchema,
});
export type InvoiceSummary = Static<typeof InvoiceSummarySchema>;

/** `GET /v1/invoices` query: cursor pagination, newest first, with filters. */
export const InvoiceListQuerySchema = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    status: Type.Optional(InvoiceStatusSchema),
    clientId: Type.Optional(IdSchema),
    /** Issue date on or after (inclusive). */
    issueDateFrom: Type.Optional(DateSchema),
    /** Issue date on or before (inclusive). */
    issueDateTo: Type.Optional(DateSchema),
  },
  { additionalProperties: false },
);
export type InvoiceListQuery = Static<typeof InvoiceListQuerySchema>;

/** A page of invoices. */
export const InvoicePageSchema = Type.Object({
  items: Type.Array(InvoiceSummarySchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

/** Path parameters of `/v1/invoices/{id}`. */
export const InvoiceParamsSchema = Type.Object({ id: IdSchema });

/** `POST /v1/invoices/{id}/send`: recipients default to the client's email. */
export const SendInvoiceBodySchema = Type.Object(
  { to: Type.Optional(Type.Array(EmailSchema, { minItems: 1, maxItems: 20 })) },
  { additionalProperties: false },
);
export type SendInvoiceBody = Static<typeof SendInvoiceBodySchema>;

/** The send request was queued; notification emails the PDF once it is rendered. */
export const SendInvoiceResponseSchema = Type.Object({
  requestId: IdSchema,
  status: Type.Literal('queued'),
});

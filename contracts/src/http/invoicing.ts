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
  {
    additionalProperties: false,
    // Stated in the schema, so generated clients know it: a line without a product needs its own
    // description, unit and price.
    // (Each subschema names the properties it requires, as OpenAPI linters expect.)
    if: { not: { required: ['productId'], properties: { productId: lineProperties.productId } } },
    then: {
      required: ['description', 'unitCode', 'unitPrice'],
      properties: {
        description: lineProperties.description,
        unitCode: lineProperties.unitCode,
        unitPrice: lineProperties.unitPrice,
      },
    },
  },
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
export const InvoiceLineSchema = Type.Object(
  {
    position: Type.Integer({ minimum: 1 }),
    ...lineProperties,
    /** Invoice line net amount (BT-131), computed by the server. */
    net: Type.String(),
  },
  { title: 'InvoiceLine' },
);
export type InvoiceLine = Static<typeof InvoiceLineSchema>;

/** An invoice (draft or issued). `number`, `seller`, `buyer` and `issuedAt` are null until issue. */
export const InvoiceSchema = Type.Object(
  {
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
    /** Payments applied to the invoice, net of refunds and reversals (`totals.due` already deducts them). */
    paid: Type.String(),
    /** Gross of the credit notes issued against the invoice (`totals.due` already deducts them). */
    credited: Type.String(),
    /** Overpayments kept as a credit balance of the client (not refunded yet). */
    creditBalance: Type.String(),
    /** Why the invoice was voided (null unless void). */
    voidReason: Type.Union([Type.String(), Type.Null()]),
    voidedAt: Type.Union([DateTimeSchema, Type.Null()]),
    /** Optimistic-concurrency version; the `ETag` is `"<version>"`. */
    version: Type.Integer({ minimum: 1 }),
    issuedAt: Type.Union([DateTimeSchema, Type.Null()]),
    lastSentAt: Type.Union([DateTimeSchema, Type.Null()]),
    createdAt: DateTimeSchema,
    updatedAt: DateTimeSchema,
    /** The quote this invoice was converted from (null otherwise). */
    quoteId: Type.Union([IdSchema, Type.Null()]),
  },
  { title: 'Invoice' },
);
export type Invoice = Static<typeof InvoiceSchema>;

/** An invoice in a list (no lines, no breakdowns). */
export const InvoiceSummarySchema = Type.Object(
  {
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
  },
  { title: 'InvoiceSummary' },
);
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

/** A money amount received or given back (more than zero; the server checks that and the decimals). */
const PositiveAmountSchema = Type.String({
  pattern: '^(0|[1-9][0-9]{0,14})(\\.[0-9]{1,6})?$',
  description: 'Amount as a decimal string, greater than zero',
  examples: ['100.00'],
});

const ReasonSchema = Type.String({ minLength: 1, maxLength: 500 });

/** `POST /v1/invoices/{id}/payments`: a payment received for an issued invoice. */
export const RecordPaymentBodySchema = Type.Object(
  {
    amount: PositiveAmountSchema,
    /** Day the money was received. */
    date: DateSchema,
    method: PaymentMethodSchema,
    reference: Type.Optional(Type.String({ maxLength: 200 })),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    /** Accept more than is due and keep the excess as the client's credit balance (else OVERPAYMENT). */
    allowCreditBalance: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);
export type RecordPaymentBody = Static<typeof RecordPaymentBodySchema>;

/** `DELETE /v1/invoices/{id}/payments/{paymentId}`: the reversal's reason (the payment stays in the history). */
export const ReversePaymentBodySchema = Type.Object(
  { reason: ReasonSchema },
  { additionalProperties: false },
);
export type ReversePaymentBody = Static<typeof ReversePaymentBodySchema>;

/** `POST /v1/invoices/{id}/payments/{paymentId}/refunds`: money given back against a payment. */
export const RecordRefundBodySchema = Type.Object(
  {
    amount: PositiveAmountSchema,
    date: DateSchema,
    reference: Type.Optional(Type.String({ maxLength: 200 })),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type RecordRefundBody = Static<typeof RecordRefundBodySchema>;

/** A refund recorded against a payment. */
export const RefundSchema = Type.Object(
  {
    id: IdSchema,
    amount: Type.String(),
    date: DateSchema,
    reference: Type.Union([Type.String(), Type.Null()]),
    note: Type.Union([Type.String(), Type.Null()]),
    createdAt: DateTimeSchema,
  },
  { title: 'Refund' },
);
export type Refund = Static<typeof RefundSchema>;

/** A payment of an invoice; a reversed one stays in the history with its reason. */
export const PaymentSchema = Type.Object(
  {
    id: IdSchema,
    invoiceId: IdSchema,
    status: Type.Union([Type.Literal('recorded'), Type.Literal('reversed')]),
    amount: Type.String(),
    /** The part that settles the invoice (amount − credit balance − refunds beyond it; 0 once reversed). */
    applied: Type.String(),
    /** The part beyond what was due, kept as the client's credit balance. */
    creditBalance: Type.String(),
    refunded: Type.String(),
    date: DateSchema,
    method: PaymentMethodSchema,
    reference: Type.Union([Type.String(), Type.Null()]),
    note: Type.Union([Type.String(), Type.Null()]),
    refunds: Type.Array(RefundSchema),
    reversedAt: Type.Union([DateTimeSchema, Type.Null()]),
    reversalReason: Type.Union([Type.String(), Type.Null()]),
    createdAt: DateTimeSchema,
  },
  { title: 'Payment' },
);
export type Payment = Static<typeof PaymentSchema>;

/** `GET /v1/invoices/{id}/payments`: every payment, oldest first, reversed ones included. */
export const PaymentListSchema = Type.Object({ items: Type.Array(PaymentSchema) });

/** Path parameters of `/v1/invoices/{id}/payments/{paymentId}`. */
export const PaymentParamsSchema = Type.Object({ id: IdSchema, paymentId: IdSchema });

/** `POST /v1/invoices/{id}/void`: why an issued invoice without payments is cancelled. */
export const VoidInvoiceBodySchema = Type.Object({ reason: ReasonSchema }, { additionalProperties: false });
export type VoidInvoiceBody = Static<typeof VoidInvoiceBodySchema>;

/** One invoice line credited, by its position on the invoice, with the quantity credited. */
export const CreditLineInputSchema = Type.Object(
  { position: Type.Integer({ minimum: 1 }), quantity: PositiveAmountSchema },
  { additionalProperties: false },
);

/** A net amount credited in one VAT group (category and rate) of the invoice. */
export const CreditAmountInputSchema = Type.Object(
  {
    vatCategory: VatCategorySchema,
    vatRate: Type.Optional(NonNegativeDecimalStringSchema),
    net: PositiveAmountSchema,
  },
  { additionalProperties: false },
);

/**
 * `POST /v1/invoices/{id}/credit-notes`: give `lines` (chosen lines and quantities), or `amounts`
 * (a net amount per VAT rate), or neither to credit everything that remains creditable.
 */
export const CreateCreditNoteBodySchema = Type.Object(
  {
    lines: Type.Optional(Type.Array(CreditLineInputSchema, { minItems: 1, maxItems: 5000 })),
    amounts: Type.Optional(Type.Array(CreditAmountInputSchema, { minItems: 1, maxItems: 50 })),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    /** Defaults to today (UTC). */
    issueDate: Type.Optional(DateSchema),
  },
  { additionalProperties: false },
);
export type CreateCreditNoteBody = Static<typeof CreateCreditNoteBodySchema>;

/** A line of a credit note; `creditedPosition` is the invoice line it credits (absent for amounts per rate). */
export const CreditNoteLineSchema = Type.Object({
  ...InvoiceLineSchema.properties,
  creditedPosition: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
});

/** A credit note: its own number, the money engine's totals, and the invoice it credits. */
export const CreditNoteSchema = Type.Object(
  {
    id: IdSchema,
    type: Type.Literal('credit_note'),
    status: Type.Literal('issued'),
    number: Type.String(),
    invoiceId: IdSchema,
    invoiceNumber: Type.String(),
    invoiceIssueDate: DateSchema,
    clientId: IdSchema,
    currency: CurrencyCodeSchema,
    issueDate: DateSchema,
    reason: Type.Union([Type.String(), Type.Null()]),
    priceMode: PriceModeSchema,
    lines: Type.Array(CreditNoteLineSchema),
    allowances: Type.Array(AllowanceChargeSchema),
    charges: Type.Array(AllowanceChargeSchema),
    totals: TotalsSchema,
    vatBreakdown: Type.Array(VatBreakdownSchema),
    taxBreakdown: Type.Array(TaxBreakdownSchema),
    seller: PartySchema,
    buyer: PartySchema,
    issuedAt: DateTimeSchema,
  },
  { title: 'CreditNote' },
);
export type CreditNote = Static<typeof CreditNoteSchema>;

/** The credit notes of an invoice, oldest first. */
export const CreditNoteListSchema = Type.Object({ items: Type.Array(CreditNoteSchema) });

/** Path parameters of `/v1/credit-notes/{id}`. */
export const CreditNoteParamsSchema = Type.Object({ id: IdSchema });

/** Document types with their own number series. */
export const NumberedDocumentTypeSchema = Type.Union([
  Type.Literal('invoice'),
  Type.Literal('credit_note'),
  Type.Literal('quote'),
]);

/** When a series starts again at 1. */
export const NumberResetSchema = Type.Union([
  Type.Literal('never'),
  Type.Literal('yearly'),
  Type.Literal('monthly'),
]);

/**
 * A number pattern: literal text (letters, digits, `-_./#`) and the tokens `{YYYY}`, `{YY}`, `{MM}` (of
 * the issue date) and exactly one `{SEQ:n}` (the sequence zero-padded to n digits, 1–12).
 */
export const NumberPatternSchema = Type.String({
  minLength: 1,
  maxLength: 60,
  examples: ['INV-{YYYY}-{SEQ:6}', 'R{YY}{MM}-{SEQ:4}'],
});

/** `PUT /v1/number-series/{documentType}`: the series' pattern and reset period. */
export const PutNumberSeriesBodySchema = Type.Object(
  { pattern: NumberPatternSchema, reset: NumberResetSchema },
  { additionalProperties: false },
);
export type PutNumberSeriesBody = Static<typeof PutNumberSeriesBodySchema>;

/** A number series with the number the next document would get. */
export const NumberSeriesSchema = Type.Object({
  documentType: NumberedDocumentTypeSchema,
  pattern: Type.String(),
  reset: NumberResetSchema,
  /** The number the next document issued on `nextNumberDate` gets (nothing is reserved). */
  nextNumber: Type.String(),
  nextSequence: Type.Integer({ minimum: 1 }),
  nextNumberDate: DateSchema,
  /** False while the organization uses the default series. */
  custom: Type.Boolean(),
  updatedAt: Type.Union([DateTimeSchema, Type.Null()]),
});
export type NumberSeries = Static<typeof NumberSeriesSchema>;

/** Every number series of the organization. */
export const NumberSeriesListSchema = Type.Object({ items: Type.Array(NumberSeriesSchema) });

/** Path parameters of `/v1/number-series/{documentType}`. */
export const NumberSeriesParamsSchema = Type.Object({ documentType: NumberedDocumentTypeSchema });

/** Query of the number-series reads: the issue date the next number is shown for (default today, UTC). */
export const NumberSeriesQuerySchema = Type.Object(
  { date: Type.Optional(DateSchema) },
  { additionalProperties: false },
);

/** When payment reminders of overdue invoices go out: `firstAfterDays` after the due date, then every `everyDays`, at most `maxReminders`. */
export const ReminderPolicySchema = Type.Object(
  {
    enabled: Type.Boolean(),
    firstAfterDays: Type.Integer({ minimum: 0, maximum: 365 }),
    everyDays: Type.Integer({ minimum: 1, maximum: 365 }),
    maxReminders: Type.Integer({ minimum: 0, maximum: 10 }),
  },
  { additionalProperties: false },
);
export type ReminderPolicy = Static<typeof ReminderPolicySchema>;

/** `PUT /v1/invoice-settings`: the organization's reminder policy and whether buyers get payment receipts. */
export const PutInvoiceSettingsBodySchema = Type.Object(
  { reminders: ReminderPolicySchema, paymentReceipts: Type.Boolean() },
  { additionalProperties: false },
);
export type PutInvoiceSettingsBody = Static<typeof PutInvoiceSettingsBodySchema>;

/** The organization's invoice settings (defaults until it sets them: no reminders, no receipts). */
export const InvoiceSettingsSchema = Type.Object({
  reminders: ReminderPolicySchema,
  paymentReceipts: Type.Boolean(),
  updatedAt: Type.Union([DateTimeSchema, Type.Null()]),
});
export type InvoiceSettings = Static<typeof InvoiceSettingsSchema>;

/** Events published by the invoicing service. */
import { Type, type Static } from 'typebox';
import {
  AddressSchema,
  CurrencyCodeSchema,
  DateSchema,
  DecimalStringSchema,
  EmailSchema,
  IdSchema,
  UnitCodeSchema,
} from '../primitives.ts';
import { VatCategorySchema } from '../invoicing/document-input.ts';

/** A party (seller or buyer) as frozen into an issued document. */
export const PartySchema = Type.Object({
  name: Type.String(),
  legalName: Type.Optional(Type.String()),
  taxId: Type.Optional(Type.String()),
  companyNumber: Type.Optional(Type.String()),
  email: Type.Optional(Type.String()),
  phone: Type.Optional(Type.String()),
  address: Type.Optional(Type.Partial(AddressSchema)),
  bankAccount: Type.Optional(
    Type.Object({
      iban: Type.Optional(Type.String()),
      bic: Type.Optional(Type.String()),
      bankName: Type.Optional(Type.String()),
    }),
  ),
});
export type Party = Static<typeof PartySchema>;

/** One line of an issued document: what was entered plus its computed net (BT-131). */
export const InvoiceLineSnapshotSchema = Type.Object(
  {
    position: Type.Integer({ minimum: 1 }),
    productId: Type.Optional(IdSchema),
    description: Type.String(),
    quantity: DecimalStringSchema,
    unitCode: UnitCodeSchema,
    unitPrice: DecimalStringSchema,
    vatCategory: VatCategorySchema,
    vatRate: Type.Optional(DecimalStringSchema),
    net: DecimalStringSchema,
  },
  { additionalProperties: true },
);
export type InvoiceLineSnapshot = Static<typeof InvoiceLineSnapshotSchema>;

/** One VAT breakdown group (BG-23). */
export const VatBreakdownEntrySchema = Type.Object(
  {
    category: Type.String(),
    rate: Type.Optional(DecimalStringSchema),
    taxable: DecimalStringSchema,
    tax: DecimalStringSchema,
    exemptionReason: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);

/** Document totals (BG-22), named after the EN 16931 business terms. */
export const InvoiceTotalsSnapshotSchema = Type.Object(
  {
    lineNet: DecimalStringSchema,
    allowances: DecimalStringSchema,
    charges: DecimalStringSchema,
    net: DecimalStringSchema,
    vat: DecimalStringSchema,
    gross: DecimalStringSchema,
    prepaid: DecimalStringSchema,
    rounding: DecimalStringSchema,
    due: DecimalStringSchema,
  },
  { additionalProperties: true },
);

/** The full state of an issued invoice: consumers render and send from it without calling back. */
export const InvoiceSnapshotSchema = Type.Object(
  {
    id: IdSchema,
    type: Type.Union([Type.Literal('invoice'), Type.Literal('credit_note'), Type.Literal('quote')]),
    number: Type.String(),
    status: Type.String(),
    currency: CurrencyCodeSchema,
    issueDate: DateSchema,
    dueDate: Type.Optional(DateSchema),
    paymentMethod: Type.Optional(Type.String()),
    notes: Type.Optional(Type.String()),
    seller: PartySchema,
    buyer: PartySchema,
    clientId: IdSchema,
    lines: Type.Array(InvoiceLineSnapshotSchema, { minItems: 1 }),
    totals: InvoiceTotalsSnapshotSchema,
    vatBreakdown: Type.Array(VatBreakdownEntrySchema),
    issuedAt: Type.String({ format: 'date-time' }),
    version: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: true },
);
export type InvoiceSnapshot = Static<typeof InvoiceSnapshotSchema>;

/** An invoice was issued: it has its number and is frozen. */
export const InvoiceIssuedSchema = Type.Object({ invoice: InvoiceSnapshotSchema });
export type InvoiceIssued = Static<typeof InvoiceIssuedSchema>;

/** A draft changed (created, edited or deleted). */
export const InvoiceUpdatedSchema = Type.Object({
  invoiceId: IdSchema,
  status: Type.String(),
  deleted: Type.Optional(Type.Boolean()),
  totals: Type.Optional(InvoiceTotalsSnapshotSchema),
});

/** Someone asked to email an issued invoice; notification sends it once its PDF exists. */
export const InvoiceSendRequestedSchema = Type.Object({
  requestId: IdSchema,
  invoiceId: IdSchema,
  number: Type.String(),
  documentVersion: Type.Integer({ minimum: 1 }),
  to: Type.Array(EmailSchema, { minItems: 1, maxItems: 20 }),
  sellerName: Type.String(),
  buyerName: Type.String(),
  gross: DecimalStringSchema,
  due: DecimalStringSchema,
  currency: CurrencyCodeSchema,
  dueDate: Type.Optional(DateSchema),
});
export type InvoiceSendRequested = Static<typeof InvoiceSendRequestedSchema>;

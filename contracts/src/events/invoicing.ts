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
import { ItemAttributeSchema, VatCategorySchema } from '../invoicing/document-input.ts';

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
    /** Item attributes (BG-32) printed under the description. */
    attributes: Type.Optional(Type.Array(ItemAttributeSchema)),
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
    /** The member who created the invoice: who may see its documents without `all_invoices_access`. */
    createdBy: Type.Optional(IdSchema),
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
  /** What is sent (absent: an invoice); a credit note's `invoiceId` is the credit note's id. */
  documentType: Type.Optional(Type.Union([Type.Literal('invoice'), Type.Literal('credit_note')])),
  /** A credit note's invoice number (what it credits). */
  creditedNumber: Type.Optional(Type.String()),
  /** The member who created the invoice (who may see its emails without `all_invoices_access`). */
  createdBy: Type.Optional(IdSchema),
});
export type InvoiceSendRequested = Static<typeof InvoiceSendRequestedSchema>;

/** Where an invoice stands after a payment, refund, reversal or credit note (amounts in its currency). */
const SettlementSchema = {
  invoiceId: IdSchema,
  number: Type.String(),
  status: Type.String(),
  currency: CurrencyCodeSchema,
  gross: DecimalStringSchema,
  /** Payments applied, net of refunds and reversals. */
  paid: DecimalStringSchema,
  /** Gross of the credit notes against the invoice. */
  credited: DecimalStringSchema,
  /** What the buyer still owes: gross − prepaid − paid − credited (± rounding). */
  due: DecimalStringSchema,
};

/** The payment as the lifecycle events carry it. */
export const PaymentSnapshotSchema = Type.Object(
  {
    id: IdSchema,
    amount: DecimalStringSchema,
    applied: DecimalStringSchema,
    creditBalance: DecimalStringSchema,
    refunded: DecimalStringSchema,
    date: DateSchema,
    method: Type.String(),
    reference: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);
export type PaymentSnapshot = Static<typeof PaymentSnapshotSchema>;

/** A payment was recorded against an issued invoice. */
export const InvoicePaymentRecordedSchema = Type.Object({
  ...SettlementSchema,
  payment: PaymentSnapshotSchema,
  /** Present when the organization sends payment receipts: notification emails one to `to`. */
  receipt: Type.Optional(
    Type.Object({
      to: Type.Array(EmailSchema, { minItems: 1, maxItems: 20 }),
      buyerName: Type.String(),
      sellerName: Type.String(),
    }),
  ),
});
export type InvoicePaymentRecorded = Static<typeof InvoicePaymentRecordedSchema>;

/** A payment was reversed (it stays in the history with its reason). */
export const InvoicePaymentReversedSchema = Type.Object({
  ...SettlementSchema,
  payment: PaymentSnapshotSchema,
  reason: Type.String(),
});
export type InvoicePaymentReversed = Static<typeof InvoicePaymentReversedSchema>;

/** Money was given back against a payment. */
export const InvoiceRefundRecordedSchema = Type.Object({
  ...SettlementSchema,
  payment: PaymentSnapshotSchema,
  refund: Type.Object({ id: IdSchema, amount: DecimalStringSchema, date: DateSchema }),
});
export type InvoiceRefundRecorded = Static<typeof InvoiceRefundRecordedSchema>;

/** The invoice is settled in full (payments and credit notes cover what was due). */
export const InvoicePaidSchema = Type.Object({
  ...SettlementSchema,
  paidAt: Type.String({ format: 'date-time' }),
});
export type InvoicePaid = Static<typeof InvoicePaidSchema>;

/**
 * An issued invoice was voided: its number stays used; `invoice` is the snapshot of the new document
 * version (status `void`) that the document service re-renders marked VOID.
 */
export const InvoiceVoidedSchema = Type.Object({
  invoice: InvoiceSnapshotSchema,
  reason: Type.String(),
  voidedAt: Type.String({ format: 'date-time' }),
});
export type InvoiceVoided = Static<typeof InvoiceVoidedSchema>;

/** The invoice a credit note corrects, as printed on it. */
export const CreditedInvoiceSchema = Type.Object({
  id: IdSchema,
  number: Type.String(),
  issueDate: DateSchema,
});

/**
 * A credit note was issued against an invoice: `creditNote` is its frozen snapshot (type
 * `credit_note`, its own number, positive amounts that reduce the invoice), `invoice` where the
 * credited invoice stands now.
 */
export const CreditNoteIssuedSchema = Type.Object({
  creditNote: InvoiceSnapshotSchema,
  creditedInvoice: CreditedInvoiceSchema,
  invoice: Type.Object(SettlementSchema),
  reason: Type.Optional(Type.String()),
});
export type CreditNoteIssued = Static<typeof CreditNoteIssuedSchema>;

/** An issued or partially paid invoice passed its due date unpaid (published once per invoice). */
export const InvoiceOverdueSchema = Type.Object({
  ...SettlementSchema,
  dueDate: DateSchema,
  overdueAt: Type.String({ format: 'date-time' }),
  clientId: IdSchema,
});
export type InvoiceOverdue = Static<typeof InvoiceOverdueSchema>;

/**
 * A payment reminder of an overdue invoice is due under the organization's policy: notification
 * emails it to `to` with the invoice PDF (`documentVersion`) attached. Published once per reminder.
 */
export const InvoiceReminderDueSchema = Type.Object({
  invoiceId: IdSchema,
  number: Type.String(),
  /** 1 for the first reminder. */
  reminder: Type.Integer({ minimum: 1 }),
  maxReminders: Type.Integer({ minimum: 1 }),
  documentVersion: Type.Integer({ minimum: 1 }),
  to: Type.Array(EmailSchema, { minItems: 1, maxItems: 20 }),
  sellerName: Type.String(),
  buyerName: Type.String(),
  gross: DecimalStringSchema,
  due: DecimalStringSchema,
  currency: CurrencyCodeSchema,
  dueDate: DateSchema,
  daysOverdue: Type.Integer({ minimum: 0 }),
});
export type InvoiceReminderDue = Static<typeof InvoiceReminderDueSchema>;

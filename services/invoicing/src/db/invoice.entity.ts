/** An invoice row: the draft or issued document with its stored totals (the engine's) and snapshots. */
import { defineEntity, p } from '@invoice/platform-db';
import type {
  AllowanceCharge,
  InvoiceStatus,
  Party,
  PaymentMethod,
  PriceMode,
  TaxBreakdown,
  VatBreakdown,
} from '@invoice/contracts';

const money = () => p.decimal().precision(19).scale(4);

export const InvoiceEntity = defineEntity({
  name: 'Invoice',
  tableName: 'invoices',
  properties: {
    id: p.uuid().primary(),
    orgId: p.uuid(),
    type: p.string().$type<'invoice'>(),
    status: p.string().$type<InvoiceStatus>(),
    number: p.string().nullable(),
    seriesId: p.uuid().nullable(),
    clientId: p.uuid(),
    currency: p.string(),
    issueDate: p.date(),
    dueDate: p.date(),
    paymentTermsDays: p.integer().nullable(),
    paymentMethod: p.string().$type<PaymentMethod>().nullable(),
    notes: p.text().nullable(),
    priceMode: p.string().$type<PriceMode>(),
    allowances: p.json<AllowanceCharge[]>(),
    charges: p.json<AllowanceCharge[]>(),
    prepaid: money().nullable(),
    totalLineNet: money(),
    totalAllowances: money(),
    totalCharges: money(),
    totalNet: money(),
    totalVat: money(),
    totalOtherTax: money(),
    totalGross: money(),
    totalPrepaid: money(),
    totalRounding: money(),
    totalDue: money(),
    totalPaid: money(),
    totalCredited: money(),
    creditBalance: money(),
    vatBreakdown: p.json<VatBreakdown[]>(),
    taxBreakdown: p.json<TaxBreakdown[]>(),
    seller: p.json<Party>().nullable(),
    buyer: p.json<Party>().nullable(),
    version: p.integer(),
    documentVersion: p.integer().nullable(),
    issuedAt: p.datetime().nullable(),
    lastSentAt: p.datetime().nullable(),
    paidAt: p.datetime().nullable(),
    voidedAt: p.datetime().nullable(),
    voidReason: p.text().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});

/** An invoice row as the code uses it (nullable columns are null, never undefined). */
export interface InvoiceRow {
  id: string;
  orgId: string;
  type: 'invoice';
  status: InvoiceStatus;
  number: string | null;
  seriesId: string | null;
  clientId: string;
  currency: string;
  issueDate: string;
  dueDate: string;
  paymentTermsDays: number | null;
  paymentMethod: PaymentMethod | null;
  notes: string | null;
  priceMode: PriceMode;
  allowances: AllowanceCharge[];
  charges: AllowanceCharge[];
  prepaid: string | null;
  totalLineNet: string;
  totalAllowances: string;
  totalCharges: string;
  totalNet: string;
  totalVat: string;
  totalOtherTax: string;
  totalGross: string;
  totalPrepaid: string;
  totalRounding: string;
  /** What the buyer still owes: the engine's payable amount less `totalPaid` and `totalCredited`. */
  totalDue: string;
  /** Payments applied (net of refunds and reversals). */
  totalPaid: string;
  /** Gross of the credit notes issued against the invoice. */
  totalCredited: string;
  /** Overpayments kept for the client. */
  creditBalance: string;
  vatBreakdown: VatBreakdown[];
  taxBreakdown: TaxBreakdown[];
  seller: Party | null;
  buyer: Party | null;
  version: number;
  documentVersion: number | null;
  issuedAt: Date | null;
  lastSentAt: Date | null;
  paidAt: Date | null;
  voidedAt: Date | null;
  voidReason: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** The user who created it (all_invoices_access); null for rows from before it was recorded. */
  createdBy?: string | null;
  /** The quote this invoice was converted from (unique: a quote converts once); null otherwise. */
  quoteId?: string | null;
}

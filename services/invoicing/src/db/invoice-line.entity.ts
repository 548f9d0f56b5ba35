/** One line of an invoice: what was entered (after copying product data) and its computed net. */
import { defineEntity, p } from '@invoice/platform-db';
import type { ItemAttribute, LineAllowanceCharge, TaxInput, VatCategory } from '@invoice/contracts';

export const InvoiceLineEntity = defineEntity({
  name: 'InvoiceLine',
  tableName: 'invoice_lines',
  properties: {
    invoiceId: p.uuid().primary(),
    position: p.integer().primary(),
    productId: p.uuid().nullable(),
    description: p.text(),
    quantity: p.decimal().precision(21).scale(6),
    unitCode: p.string(),
    unitPrice: p.decimal().precision(21).scale(6),
    priceBaseQuantity: p.decimal().precision(21).scale(6).nullable(),
    grossUnitPrice: p.decimal().precision(21).scale(6).nullable(),
    allowances: p.json<LineAllowanceCharge[]>(),
    charges: p.json<LineAllowanceCharge[]>(),
    vatCategory: p.string().$type<VatCategory>(),
    vatRate: p.decimal().precision(9).scale(6).nullable(),
    vatExemptionReason: p.text().nullable(),
    vatExemptionReasonCode: p.string().nullable(),
    taxes: p.json<TaxInput[]>(),
    attributes: p.json<ItemAttribute[]>(),
    net: p.decimal().precision(19).scale(4),
  },
});

/** A line row as the code uses it (nullable columns are null, never undefined). */
export interface InvoiceLineRow {
  invoiceId: string;
  position: number;
  productId: string | null;
  description: string;
  quantity: string;
  unitCode: string;
  unitPrice: string;
  priceBaseQuantity: string | null;
  grossUnitPrice: string | null;
  allowances: LineAllowanceCharge[];
  charges: LineAllowanceCharge[];
  vatCategory: VatCategory;
  vatRate: string | null;
  vatExemptionReason: string | null;
  vatExemptionReasonCode: string | null;
  taxes: TaxInput[];
  /** Item attributes (BG-32), empty when the line has none. */
  attributes: ItemAttribute[];
  net: string;
}

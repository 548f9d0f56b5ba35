/**
 * The issued invoice as the `invoicing.invoice.issued.v1` event carries it: everything a renderer or a
 * mailer needs (seller, buyer, lines with their nets, the engine's totals and VAT breakdown), so no
 * consumer ever calls back.
 */
import {
  compact,
  type DocumentPricingResult,
  type InvoiceSnapshot,
  type LineInput,
  type Party,
  type PriceMode,
} from '@invoice/contracts';

/** What the snapshot is built from. */
export interface SnapshotSource {
  id: string;
  number: string;
  status: string;
  clientId: string;
  currency: string;
  issueDate: string;
  dueDate: string;
  paymentMethod: string | null;
  notes: string | null;
  priceMode: PriceMode;
  lines: LineInput[];
  seller: Party;
  buyer: Party;
  /** The engine's result for exactly these lines. */
  pricing: DocumentPricingResult;
  issuedAt: Date;
  /** Revision of the issued document (1 at issue); names the rendered file. */
  documentVersion: number;
  /** The member who created the invoice (absent for invoices made before creators were stored). */
  createdBy?: string | null;
}

/** Builds the frozen snapshot (the engine's totals and nets, unchanged); empty optional fields are absent. */
export function buildInvoiceSnapshot(source: SnapshotSource): InvoiceSnapshot {
  if (source.pricing.lines.length !== source.lines.length) {
    throw new RangeError('the pricing result does not match the lines');
  }
  // More than the contract names (it allows additional properties): price mode, document-level
  // allowances and charges, and the breakdown of other taxes travel with the snapshot too.
  const snapshot = {
    id: source.id,
    type: 'invoice' as const,
    number: source.number,
    status: source.status,
    currency: source.currency,
    issueDate: source.issueDate,
    dueDate: source.dueDate,
    ...compact({ paymentMethod: source.paymentMethod, notes: source.notes }),
    priceMode: source.priceMode,
    seller: source.seller,
    buyer: source.buyer,
    clientId: source.clientId,
    lines: source.lines.map((line, index) => ({
      position: index + 1,
      ...line,
      net: source.pricing.lines[index]?.net ?? '0',
    })),
    allowances: source.pricing.allowances,
    charges: source.pricing.charges,
    totals: source.pricing.totals,
    vatBreakdown: source.pricing.vatBreakdown,
    taxBreakdown: source.pricing.taxBreakdown,
    issuedAt: source.issuedAt.toISOString(),
    version: source.documentVersion,
    ...compact({ createdBy: source.createdBy }),
  };
  return snapshot;
}

/** Factory for issued-invoice snapshots as invoicing publishes them (consistent totals). */
import { Decimal } from 'decimal.js';
import { newId, type InvoiceSnapshot } from '@invoice/contracts';

/** Options: how many lines, plus any snapshot field to override. */
export type SnapshotOverrides = Partial<InvoiceSnapshot> & { lineCount?: number };

/**
 * An invoice of `lineCount` lines (2 × 25.00 each, VAT 19% standard): with 20 lines net is
 * 1,000.00, VAT 190.00 and gross 1,190.00.
 */
export function invoiceSnapshot(overrides: SnapshotOverrides = {}): InvoiceSnapshot {
  const { lineCount = 20, ...fields } = overrides;
  const lines = Array.from({ length: lineCount }, (_, i) => ({
    position: i + 1,
    description: `Consulting work package ${i + 1}`,
    quantity: '2',
    unitCode: 'HUR',
    unitPrice: '25.00',
    vatCategory: 'S' as const,
    vatRate: '19.00',
    net: '50.00',
  }));
  const net = new Decimal(50).times(lineCount);
  const vat = net.times('0.19').toDecimalPlaces(2);
  const gross = net.plus(vat);
  return {
    id: newId(),
    type: 'invoice',
    number: 'INV-2026-0042',
    status: 'issued',
    currency: 'EUR',
    issueDate: '2026-11-25',
    dueDate: '2026-12-09',
    paymentMethod: 'bank_transfer',
    notes: 'Thank you for your business.',
    seller: {
      name: 'Acme Consulting',
      legalName: 'Acme Consulting GmbH',
      taxId: 'DE123456789',
      email: 'billing@acme.example',
      address: { line1: 'Hauptstraße 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
      bankAccount: { iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', bankName: 'Commerzbank' },
    },
    buyer: {
      name: 'Globex Corporation',
      taxId: 'FR40303265045',
      address: { line1: '12 Rue de la Paix', city: 'Paris', postalCode: '75002', country: 'FR' },
    },
    clientId: newId(),
    lines,
    totals: {
      lineNet: net.toFixed(2),
      allowances: '0.00',
      charges: '0.00',
      net: net.toFixed(2),
      vat: vat.toFixed(2),
      gross: gross.toFixed(2),
      prepaid: '0.00',
      rounding: '0.00',
      due: gross.toFixed(2),
    },
    vatBreakdown: [{ category: 'S', rate: '19.00', taxable: net.toFixed(2), tax: vat.toFixed(2) }],
    issuedAt: '2026-11-25T10:00:00.000Z',
    version: 1,
    ...fields,
  };
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Subjects, createEnvelope, validateEvent } from '@invoice/contracts';
import { computeTotals } from '../../../src/domain/money/index.ts';
import { buyerParty, sellerParty } from '../../../src/domain/parties.ts';
import { buildInvoiceSnapshot } from '../../../src/domain/snapshot.ts';

const lines = [
  {
    description: 'Hours',
    quantity: '3',
    unitCode: 'HUR',
    unitPrice: '19.99',
    vatCategory: 'S' as const,
    vatRate: '19',
  },
  {
    description: 'Exempt',
    quantity: '1',
    unitCode: 'C62',
    unitPrice: '10',
    vatCategory: 'E' as const,
    vatExemptionReason: 'Art. 132',
  },
];

describe('issued snapshot', () => {
  const pricing = computeTotals({ currency: 'EUR', lines });
  const snapshot = buildInvoiceSnapshot({
    id: '01900000-0000-7000-8000-000000000001',
    number: 'INV-2026-000001',
    status: 'issued',
    clientId: '01900000-0000-7000-8000-000000000002',
    currency: 'EUR',
    issueDate: '2026-01-01',
    dueDate: '2026-01-15',
    paymentMethod: null,
    notes: null,
    priceMode: 'net',
    lines,
    seller: sellerParty({ id: '01900000-0000-7000-8000-000000000003', name: 'Seller', version: 1 }),
    buyer: buyerParty({ id: '01900000-0000-7000-8000-000000000002', name: 'Buyer', version: 1 }),
    pricing,
    issuedAt: new Date('2026-01-01T10:00:00Z'),
    documentVersion: 1,
  });

  it('carries the engine’s totals and breakdown unchanged and the nets per line', () => {
    assert.deepEqual(snapshot.totals, pricing.totals);
    assert.deepEqual(snapshot.vatBreakdown, pricing.vatBreakdown);
    assert.deepEqual(
      snapshot.lines.map((l) => [l.position, l.net]),
      [
        [1, '59.97'],
        [2, '10.00'],
      ],
    );
  });

  it('satisfies the invoice.issued contract, without empty optional fields', () => {
    const envelope = createEnvelope({
      type: Subjects.InvoiceIssued,
      source: 'invoicing',
      orgId: '01900000-0000-7000-8000-000000000003',
      subject: snapshot.id,
      data: { invoice: snapshot },
    });
    assert.deepEqual(validateEvent(Subjects.InvoiceIssued, envelope), []);
    assert.equal('notes' in snapshot, false);
  });

  it('refuses a pricing result for other lines', () => {
    assert.throws(() => buildInvoiceSnapshot({ ...snapshotSource(), lines: lines.slice(0, 1) }), RangeError);
  });

  function snapshotSource() {
    return {
      id: snapshot.id,
      number: snapshot.number,
      status: 'issued',
      clientId: snapshot.clientId,
      currency: 'EUR',
      issueDate: '2026-01-01',
      dueDate: '2026-01-15',
      paymentMethod: null,
      notes: null,
      priceMode: 'net' as const,
      lines,
      seller: snapshot.seller,
      buyer: snapshot.buyer,
      pricing,
      issuedAt: new Date(),
      documentVersion: 1,
    };
  }
});

describe('parties', () => {
  it('refuses a seller without a name', () => {
    assert.throws(() => sellerParty({ id: '01900000-0000-7000-8000-000000000003', name: '  ', version: 1 }), {
      code: 'SELLER_INCOMPLETE',
    });
  });

  it('takes the buyer email from the contact person when the client has none', () => {
    const buyer = buyerParty({
      id: '01900000-0000-7000-8000-000000000002',
      name: 'B',
      contact: { email: 'c@example.com' },
      version: 1,
    });
    assert.equal(buyer.email, 'c@example.com');
  });
});

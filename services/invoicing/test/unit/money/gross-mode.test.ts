import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkEn16931Invariants, computeTotals } from '../../../src/domain/money/index.ts';
import { assertAppError, doc, line } from './factories.ts';

const gross = { priceMode: 'gross' } as const;

describe('tax-inclusive (gross) price entry', () => {
  it('reaches a gross target of 500.00 exactly', () => {
    const result = computeTotals(doc([line({ unitPrice: '500.00' })], gross));
    assert.deepEqual(
      [result.totals.net, result.totals.vat, result.totals.gross, result.totals.rounding, result.totals.due],
      ['420.17', '79.83', '500.00', '0.00', '500.00'], // 500 ÷ 1.19 = 420.168…; 420.17 × 19 % = 79.8323
    );
    assert.equal(result.lines[0]?.gross, '500.00');
    assert.equal(result.lines[0]?.netUnitPrice, '420.168067');
    assert.deepEqual(checkEn16931Invariants(result), []);
  });

  it('reaches 500.00 over several lines, the group rounded once', () => {
    const prices = ['166.67', '166.67', '166.66'];
    const result = computeTotals(
      doc(
        prices.map((unitPrice) => line({ unitPrice })),
        gross,
      ),
    );
    assert.equal(result.totals.gross, '500.00');
    assert.equal(result.totals.due, '500.00');
    assert.equal(result.vatBreakdown[0]?.taxable, '420.17');
  });

  it('spreads the group taxable over the lines by largest remainder, so line nets add up exactly (BR-S-08)', () => {
    // 10 × 0.99 = 9.90 gross → taxable 8.32; each line's exact share 0.8319… rounds to 0.83 (Σ 8.30),
    // so the two missing cents go to the first two lines (equal remainders, ties by position).
    const result = computeTotals(
      doc(
        Array.from({ length: 10 }, () => line({ unitPrice: '0.99' })),
        gross,
      ),
    );
    assert.deepEqual(
      result.lines.map((l) => l.net),
      ['0.84', '0.84', '0.83', '0.83', '0.83', '0.83', '0.83', '0.83', '0.83', '0.83'],
    );
    assert.deepEqual(
      [result.totals.lineNet, result.totals.vat, result.totals.gross],
      ['8.32', '1.58', '9.90'],
    );
    assert.deepEqual(checkEn16931Invariants(result), []);
  });

  it('shows the residual cent as rounding (BT-114) when no net/VAT split reaches the target', () => {
    // 490.00 ÷ 1.19 = 411.764…: 411.76 + 78.23 = 489.99 and 411.77 + 78.24 = 490.01; VAT is never bent.
    const result = computeTotals(doc([line({ unitPrice: '490.00' })], gross));
    assert.deepEqual(
      [result.totals.net, result.totals.vat, result.totals.gross, result.totals.rounding, result.totals.due],
      ['411.76', '78.23', '489.99', '0.01', '490.00'],
    );
    assert.deepEqual(checkEn16931Invariants(result), []);
  });

  it('derives each rate group separately', () => {
    const result = computeTotals(
      doc([line({ unitPrice: '119.00' }), line({ unitPrice: '107.00', vatRate: '7' })], gross),
    );
    assert.deepEqual(
      result.vatBreakdown.map((g) => [g.rate, g.taxable, g.tax]),
      [
        ['19.00', '100.00', '19.00'],
        ['7.00', '100.00', '7.00'],
      ],
    );
    assert.equal(result.totals.due, '226.00');
  });

  it('takes tax-inclusive document allowances and reports their net amount', () => {
    const result = computeTotals(
      doc([line({ unitPrice: '500.00' })], {
        ...gross,
        allowances: [{ percent: '10', vatCategory: 'S', vatRate: '19' }],
      }),
    );
    // 450.00 gross → taxable 378.15 = line 420.17 − allowance 42.02; VAT 71.8485 → 71.85.
    assert.deepEqual(
      [result.allowances[0]?.amount, result.allowances[0]?.grossAmount, result.totals.net, result.totals.vat],
      ['42.02', '50.00', '378.15', '71.85'],
    );
    assert.equal(result.totals.due, '450.00');
    assert.deepEqual(checkEn16931Invariants(result), []);
  });

  it('keeps exempt and zero-rated lines at their entered amount', () => {
    const result = computeTotals(
      doc(
        [line({ unitPrice: '80.00', vatCategory: 'E', vatRate: undefined, vatExemptionReason: 'Exempt' })],
        gross,
      ),
    );
    assert.deepEqual(
      [result.lines[0]?.net, result.totals.vat, result.totals.due],
      ['80.00', '0.00', '80.00'],
    );
  });

  it('mirrors negative gross lines exactly', () => {
    const result = computeTotals(doc([line({ quantity: '-1', unitPrice: '490.00' })], gross));
    assert.deepEqual(
      [result.totals.net, result.totals.vat, result.totals.rounding, result.totals.due],
      ['-411.76', '-78.23', '-0.01', '-490.00'],
    );
  });

  it('refuses stacked taxes with tax-inclusive prices', () => {
    const input = doc([line({ vatRate: '5', taxes: [{ scheme: 'QST', rate: '9.975' }] })], gross);
    assertAppError(() => computeTotals(input), 'VALIDATION_FAILED', '/lines/0/taxes');
  });
});

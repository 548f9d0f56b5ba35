import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LineInput } from '@invoice/contracts';
import { computeTotals } from '../../../src/domain/money/index.ts';
import { assertAppError, doc, line } from './factories.ts';

const reason = { vatExemptionReason: 'Exempt' } as const;
const price = (lines: LineInput[]) => computeTotals(doc(lines));

describe('VAT category rules (UNCL5305, EN 16931)', () => {
  it('requires a rate for standard-rated lines (BR-S-05)', () => {
    assertAppError(() => price([line({ vatRate: undefined })]), 'VAT_RATE_REQUIRED', '/lines/0/vatRate');
  });

  it('rejects rate 0 on a standard-rated line and points to category Z (BR-S-05)', () => {
    const error = assertAppError(
      () => price([line({ vatRate: '0' })]),
      'VAT_RATE_NOT_ALLOWED',
      '/lines/0/vatRate',
    );
    assert.match(error.errors[0]?.message ?? '', /category Z/);
  });

  it('rejects any rate, even 0, on category O (BR-O-05)', () => {
    for (const vatRate of ['0', '19']) {
      const input = line({ vatCategory: 'O', vatRate, ...reason });
      assertAppError(() => price([input]), 'VAT_RATE_NOT_ALLOWED', '/lines/0/vatRate');
    }
  });

  it('rejects a non-zero rate on Z, E, AE, K and G (BR-Z-05, BR-E-05, BR-AE-05, BR-IC-05, BR-G-05)', () => {
    for (const vatCategory of ['Z', 'E', 'AE', 'K', 'G'] as const) {
      const input = line({ vatCategory, vatRate: '7', ...(vatCategory === 'Z' ? {} : reason) });
      assertAppError(() => price([input]), 'VAT_RATE_NOT_ALLOWED', '/lines/0/vatRate');
    }
  });

  it('takes an absent rate as 0 for Z, E, AE, K and G and computes no VAT', () => {
    for (const vatCategory of ['Z', 'E', 'AE', 'K', 'G'] as const) {
      const result = price([
        line({ vatCategory, vatRate: undefined, ...(vatCategory === 'Z' ? {} : reason) }),
      ]);
      assert.deepEqual(
        result.vatBreakdown.map((g) => [g.category, g.rate, g.taxable, g.tax]),
        [[vatCategory, '0.00', '10.00', '0.00']],
      );
    }
  });

  it('shows category O without a rate in the breakdown', () => {
    const result = price([line({ vatCategory: 'O', vatRate: undefined, ...reason })]);
    assert.deepEqual(result.vatBreakdown, [
      { category: 'O', taxable: '10.00', tax: '0.00', exemptionReason: 'Exempt' },
    ]);
    assert.equal(result.lines[0]?.vatRate, undefined);
  });

  it('requires an exemption reason for E, AE, K, G and O (BR-E-10, BR-AE-10, BR-IC-10, BR-G-10, BR-O-10)', () => {
    for (const vatCategory of ['E', 'AE', 'K', 'G', 'O'] as const) {
      const input = line({ vatCategory, vatRate: undefined });
      assertAppError(() => price([input]), 'VAT_EXEMPTION_REASON_REQUIRED', '/lines/0/vatExemptionReason');
    }
  });

  it('accepts a VATEX code instead of the reason text and carries it to the breakdown', () => {
    const result = price([
      line({ vatCategory: 'AE', vatRate: undefined, vatExemptionReasonCode: 'VATEX-EU-AE' }),
    ]);
    assert.equal(result.vatBreakdown[0]?.exemptionReasonCode, 'VATEX-EU-AE');
  });

  it('rejects an exemption reason on S, Z, L and M (BR-S-10, BR-Z-10, BR-AF-10, BR-AG-10)', () => {
    for (const vatCategory of ['S', 'Z', 'L', 'M'] as const) {
      const input = line({ vatCategory, vatRate: vatCategory === 'Z' ? '0' : '7', ...reason });
      assertAppError(() => price([input]), 'VALIDATION_FAILED', '/lines/0/vatExemptionReason');
    }
  });

  it('needs a rate for IGIC (L) and IPSI (M) but accepts 0 (BR-AF-05, BR-AG-05)', () => {
    assertAppError(() => price([line({ vatCategory: 'L', vatRate: undefined })]), 'VAT_RATE_REQUIRED');
    const result = price([
      line({ vatCategory: 'L', vatRate: '0' }),
      line({ vatCategory: 'M', vatRate: '4' }),
    ]);
    assert.deepEqual(
      result.vatBreakdown.map((g) => [g.category, g.rate, g.tax]),
      [
        ['L', '0.00', '0.00'],
        ['M', '4.00', '0.40'],
      ],
    );
  });

  it('rejects rates above 100 % and unknown categories', () => {
    assertAppError(() => price([line({ vatRate: '100.5' })]), 'AMOUNT_OUT_OF_RANGE', '/lines/0/vatRate');
    const unknown = line({ vatCategory: 'X' as LineInput['vatCategory'] });
    assertAppError(() => price([unknown]), 'VALIDATION_FAILED', '/lines/0/vatCategory');
  });

  it('groups "19", "19.0" and "19.00" as one rate', () => {
    const result = price([line({ vatRate: '19' }), line({ vatRate: '19.0' }), line({ vatRate: '19.00' })]);
    assert.deepEqual(result.vatBreakdown, [{ category: 'S', rate: '19.00', taxable: '30.00', tax: '5.70' }]);
  });

  it('rejects two different exemption reasons in one exempt group: the breakdown has one (BR-E-10)', () => {
    const lines = [
      line({ vatCategory: 'E', vatRate: undefined, vatExemptionReason: 'Medical care' }),
      line({ vatCategory: 'E', vatRate: undefined, vatExemptionReason: 'Medical care' }),
      line({ vatCategory: 'E', vatRate: undefined, vatExemptionReason: 'Education' }),
    ];
    assertAppError(() => price(lines), 'VALIDATION_FAILED', '/lines/2/vatExemptionReason');
  });

  it('reports every failing field at once, as VALIDATION_FAILED when the codes differ', () => {
    const error = assertAppError(
      () => price([line({ vatRate: undefined }), line({ quantity: '1.0000001' }), line({ unitPrice: '-1' })]),
      'VALIDATION_FAILED',
    );
    assert.deepEqual(
      error.errors.map((e) => [e.field, e.code]),
      [
        ['/lines/0/vatRate', 'VAT_RATE_REQUIRED'],
        ['/lines/1/quantity', 'TOO_MANY_DECIMALS'],
        ['/lines/2/unitPrice', 'AMOUNT_OUT_OF_RANGE'],
      ],
    );
  });
});

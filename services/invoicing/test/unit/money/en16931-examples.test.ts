/**
 * Allowances and charges as real e-invoices state them: amount (BT-92/BT-136) together with its base
 * (BT-93/BT-137) and percent (BT-94/BT-138). The first case is the official EN 16931 example 5
 * (CEN TC 434, `cii/examples/CII_example5.xml`, "maximum content"), priced from its stated inputs;
 * the totals must be the example's own.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DocumentPricingInput } from '@invoice/contracts';
import { checkEn16931Invariants, computeTotals } from '../../../src/domain/money/index.ts';
import { assertAppError, doc, line } from './factories.ts';

/** EN 16931 example 5 (TOSL110, DKK): three lines, a line allowance and charge, a document allowance and charge. */
function example5(): DocumentPricingInput {
  return {
    currency: 'DKK',
    lines: [
      {
        description: 'Printing paper',
        quantity: '1000',
        unitCode: 'C62',
        unitPrice: '1',
        vatCategory: 'S',
        vatRate: '25',
        allowances: [
          { percent: '10', base: '1000', amount: '100', reasonCode: '95', reason: 'Loyal customer' },
        ],
        charges: [{ percent: '10', base: '1000', amount: '100', reasonCode: 'ABL', reason: 'Packaging' }],
      },
      {
        description: 'Parker Pen',
        quantity: '100',
        unitCode: 'C62',
        unitPrice: '5',
        vatCategory: 'S',
        vatRate: '25',
      },
      {
        description: 'American Cookies',
        quantity: '500',
        unitCode: 'C62',
        unitPrice: '5',
        vatCategory: 'S',
        vatRate: '12',
      },
    ],
    allowances: [
      {
        percent: '10',
        base: '1500',
        amount: '150',
        reasonCode: '95',
        reason: 'Loyal customer',
        vatCategory: 'S',
        vatRate: '25',
      },
    ],
    charges: [
      {
        percent: '10',
        base: '1500',
        amount: '150',
        reasonCode: 'ABL',
        reason: 'Packaging',
        vatCategory: 'S',
        vatRate: '25',
      },
    ],
    prepaid: '2337.5',
  };
}

describe('EN 16931 allowance and charge input (amount + percent + base)', () => {
  it('prices the official example 5 from its stated amounts, percents and bases to the example totals', () => {
    const result = computeTotals(example5());
    assert.deepEqual(checkEn16931Invariants(result), []);
    const { totals } = result;
    assert.deepEqual(
      [
        totals.lineNet,
        totals.allowances,
        totals.charges,
        totals.net,
        totals.vat,
        totals.gross,
        totals.prepaid,
        totals.due,
      ],
      ['4000.00', '150.00', '150.00', '4000.00', '675.00', '4675.00', '2337.50', '2337.50'],
    );
    assert.deepEqual(
      result.vatBreakdown.map((group) => [group.category, group.rate, group.taxable, group.tax]),
      [
        ['S', '25.00', '1500.00', '375.00'],
        ['S', '12.00', '2500.00', '300.00'],
      ],
    );
    assert.equal(result.lines[0]?.net, '1000.00');
    assert.deepEqual(
      result.allowances[0] && [
        result.allowances[0].amount,
        result.allowances[0].base,
        result.allowances[0].percent,
      ],
      ['150.00', '1500.00', '10.00'],
    );
  });

  it('computes with the stated amount when it is within 0.02 of base × percent ÷ 100 (PEPPOL-EN16931-R040)', () => {
    // 3 % of 333.33 is 9.9999: a document states 9.99 or 10.01 and both are accepted as stated.
    for (const amount of ['9.99', '10.01']) {
      const result = computeTotals(
        doc([line({ quantity: '1', unitPrice: '333.33' })], {
          allowances: [
            { amount, percent: '3', base: '333.33', reason: 'Early order', vatCategory: 'S', vatRate: '19' },
          ],
        }),
      );
      assert.equal(result.totals.allowances, amount);
      assert.deepEqual(checkEn16931Invariants(result), []);
    }
  });

  it('refuses an amount that disagrees with its base and percent, naming the amount', () => {
    const input = doc([line({ quantity: '1', unitPrice: '100' })], {
      charges: [
        { amount: '10.03', percent: '10', base: '100', reason: 'Freight', vatCategory: 'S', vatRate: '19' },
      ],
    });
    assertAppError(() => computeTotals(input), 'ALLOWANCE_AMOUNT_MISMATCH', '/charges/0/amount');
    const onLine = doc([
      line({ quantity: '4', unitPrice: '25', allowances: [{ amount: '1.00', percent: '5' }] }),
    ]);
    assertAppError(() => computeTotals(onLine), 'ALLOWANCE_AMOUNT_MISMATCH', '/lines/0/allowances/0/amount');
  });

  it('checks amount + percent without a base against the default base (the line amount)', () => {
    const result = computeTotals(
      doc([line({ quantity: '4', unitPrice: '25', allowances: [{ amount: '5.00', percent: '5' }] })]),
    );
    assert.equal(result.lines[0]?.net, '95.00');
  });

  it('accepts negative document-level amounts on a correction invoice as EN 16931 allows, mirroring the original', () => {
    const correction = doc([line({ quantity: '-1', unitPrice: '200' })], {
      allowances: [
        {
          amount: '-20.00',
          percent: '10',
          base: '-200.00',
          reason: 'Discount',
          vatCategory: 'S',
          vatRate: '19',
        },
      ],
      charges: [{ amount: '-5.00', reason: 'Freight', vatCategory: 'S', vatRate: '19' }],
    });
    const result = computeTotals(correction);
    assert.deepEqual(checkEn16931Invariants(result), []);
    assert.deepEqual(
      [result.totals.lineNet, result.totals.allowances, result.totals.charges, result.totals.net],
      ['-200.00', '-20.00', '-5.00', '-185.00'],
    );
    const original = computeTotals(
      doc([line({ quantity: '1', unitPrice: '200' })], {
        allowances: [
          {
            amount: '20.00',
            percent: '10',
            base: '200.00',
            reason: 'Discount',
            vatCategory: 'S',
            vatRate: '19',
          },
        ],
        charges: [{ amount: '5.00', reason: 'Freight', vatCategory: 'S', vatRate: '19' }],
      }),
    );
    assert.equal(original.totals.gross, result.totals.gross.replace('-', ''));
  });

  it('refuses a negative document-level amount on positive lines (that is a charge)', () => {
    const input = doc([line({ quantity: '1', unitPrice: '200' })], {
      allowances: [{ amount: '-20.00', reason: 'Discount', vatCategory: 'S', vatRate: '19' }],
    });
    assertAppError(() => computeTotals(input), 'AMOUNT_OUT_OF_RANGE', '/allowances/0/amount');
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkEn16931Invariants, computeTotals } from '../../../src/domain/money/index.ts';
import { doc, line } from './factories.ts';

const breakdown = (result: ReturnType<typeof computeTotals>) =>
  result.vatBreakdown.map((g) => [g.category, g.rate, g.taxable, g.tax]);

describe('worked examples: totals and VAT groups', () => {
  it('rounds VAT once per rate group, not per line (10 × 0.99 at 19 % is 1.88, not 1.90)', () => {
    const result = computeTotals(doc(Array.from({ length: 10 }, () => line({ unitPrice: '0.99' }))));
    assert.equal(result.totals.lineNet, '9.90');
    assert.equal(result.totals.vat, '1.88'); // 9.90 × 19 % = 1.881; per line 10 × 0.19 would drift to 1.90
    assert.equal(result.totals.gross, '11.78');
    assert.deepEqual(checkEn16931Invariants(result), []);
  });

  it('keeps one group per category and rate, ordered S by rate, then Z', () => {
    const result = computeTotals(
      doc([
        line({ quantity: '3', unitPrice: '3.33', vatRate: '7' }),
        line({ quantity: '2', unitPrice: '49.95' }),
        line({ unitPrice: '5.00', vatCategory: 'Z', vatRate: '0' }),
      ]),
    );
    assert.deepEqual(breakdown(result), [
      ['S', '19.00', '99.90', '18.98'], // 18.981
      ['S', '7.00', '9.99', '0.70'], // 0.6993
      ['Z', '0.00', '5.00', '0.00'],
    ]);
    assert.deepEqual(result.totals, {
      lineNet: '114.89',
      allowances: '0.00',
      charges: '0.00',
      net: '114.89',
      vat: '19.68',
      otherTax: '0.00',
      gross: '134.57',
      prepaid: '0.00',
      rounding: '0.00',
      due: '134.57',
    });
  });

  it('stacks Quebec GST and QST, each rounded once on the summed nets', () => {
    const qst = { taxes: [{ scheme: 'QST', rate: '9.975' }], vatRate: '5' };
    const result = computeTotals(
      doc([line({ unitPrice: '100.00', ...qst }), line({ unitPrice: '49.99', ...qst })], { currency: 'CAD' }),
    );
    assert.deepEqual(breakdown(result), [['S', '5.00', '149.99', '7.50']]); // GST 7.4995
    // QST 149.99 × 9.975 % = 14.9615 → 14.96; per line it would be 9.98 + 4.99 = 14.97.
    assert.deepEqual(result.taxBreakdown, [
      { scheme: 'QST', category: 'S', rate: '9.975', taxable: '149.99', tax: '14.96' },
    ]);
    assert.deepEqual(result.lines[0]?.taxes, [{ scheme: 'QST', category: 'S', rate: '9.975' }]);
    assert.equal(result.totals.otherTax, '14.96');
    assert.equal(result.totals.gross, '172.45');
    assert.deepEqual(checkEn16931Invariants(result), []);
  });

  it('stacks US state and city sales tax on a sale outside the scope of VAT', () => {
    const result = computeTotals(
      doc(
        [
          line({
            quantity: '3',
            unitPrice: '19.99',
            vatCategory: 'O',
            vatRate: undefined,
            vatExemptionReason: 'Not subject to VAT',
            taxes: [
              { scheme: 'STATE', rate: '6.25' },
              { scheme: 'CITY', rate: '2.25' },
            ],
          }),
        ],
        { currency: 'USD' },
      ),
    );
    assert.deepEqual(
      result.taxBreakdown.map((g) => [g.scheme, g.rate, g.taxable, g.tax]),
      [
        ['CITY', '2.25', '59.97', '1.35'], // 1.349325
        ['STATE', '6.25', '59.97', '3.75'], // 3.748125
      ],
    );
    assert.equal(result.totals.vat, '0.00');
    assert.equal(result.totals.gross, '65.07');
  });

  it('computes a 3-decimal currency (BHD) to the fils', () => {
    const result = computeTotals(
      doc(
        [
          line({ quantity: '3', unitPrice: '1.125', vatRate: '10' }),
          line({ unitPrice: '0.3335', vatRate: '10' }),
        ],
        { currency: 'BHD' },
      ),
    );
    assert.deepEqual(
      result.lines.map((l) => l.net),
      ['3.375', '0.334'],
    );
    assert.deepEqual(breakdown(result), [['S', '10.00', '3.709', '0.371']]); // 0.3709
    assert.equal(result.totals.gross, '4.080');
    assert.equal(result.totals.prepaid, '0.000');
  });

  it('computes a 0-decimal currency (JPY) in whole yen', () => {
    const result = computeTotals(
      doc(
        [
          line({ quantity: '3', unitPrice: '333', vatRate: '10' }),
          line({ quantity: '7', unitPrice: '148.5', vatRate: '8' }), // 1039.5 → 1040
        ],
        { currency: 'JPY' },
      ),
    );
    assert.deepEqual(
      result.lines.map((l) => l.net),
      ['999', '1040'],
    );
    assert.deepEqual(breakdown(result), [
      ['S', '10.00', '999', '100'], // 99.9
      ['S', '8.00', '1040', '83'], // 83.2
    ]);
    assert.equal(result.totals.gross, '2222');
  });

  it('divides by the price base quantity (price per 100) before rounding the line', () => {
    const result = computeTotals(
      doc([
        line({ quantity: '250', unitCode: 'KGM', unitPrice: '12.50', priceBaseQuantity: '100' }),
        line({ quantity: '3', unitPrice: '12.50', priceBaseQuantity: '100' }), // 0.375 → 0.38
      ]),
    );
    assert.deepEqual(
      result.lines.map((l) => [l.net, l.netUnitPrice]),
      [
        ['31.25', '12.50'],
        ['0.38', '12.50'],
      ],
    );
    assert.equal(result.totals.vat, '6.01'); // 31.63 × 19 % = 6.0097
  });

  it('takes line allowances as a percentage of the line amount and adds line charges', () => {
    const result = computeTotals(
      doc([
        line({
          quantity: '4',
          unitPrice: '25.00',
          allowances: [{ percent: '10', reason: 'Volume' }],
          charges: [{ amount: '2.50', reason: 'Packing' }],
        }),
      ]),
    );
    assert.deepEqual(result.lines[0], {
      amount: '100.00',
      allowances: [{ amount: '10.00', base: '100.00', percent: '10.00', reason: 'Volume' }],
      charges: [{ amount: '2.50', reason: 'Packing' }],
      net: '92.50',
      netUnitPrice: '25.00',
      vatCategory: 'S',
      vatRate: '19.00',
      taxes: [],
    });
  });

  it('allows a 100 % line discount: the line stays, at zero', () => {
    const result = computeTotals(
      doc([line({ quantity: '2', unitPrice: '50.00', allowances: [{ percent: '100' }] }), line()]),
    );
    assert.equal(result.lines[0]?.net, '0.00');
    assert.equal(result.lines[0]?.allowances[0]?.amount, '100.00');
    assert.deepEqual(breakdown(result), [['S', '19.00', '10.00', '1.90']]);
  });

  it('derives the item price discount (BT-147) from the gross unit price (BT-148)', () => {
    const result = computeTotals(doc([line({ unitPrice: '8.50', grossUnitPrice: '10.00', quantity: '2' })]));
    assert.equal(result.lines[0]?.priceDiscount, '1.50');
    assert.equal(result.lines[0]?.net, '17.00');
  });

  it('applies a document allowance to the lines of its VAT group and a charge in its own group', () => {
    const result = computeTotals(
      doc([line({ quantity: '2', unitPrice: '100.00' }), line({ unitPrice: '50.00', vatRate: '7' })], {
        allowances: [{ percent: '10', vatCategory: 'S', vatRate: '19', reason: 'Loyalty' }],
        charges: [{ amount: '5.90', vatCategory: 'S', vatRate: '19', reason: 'Shipping' }],
      }),
    );
    assert.deepEqual(result.allowances[0], {
      amount: '20.00',
      base: '200.00',
      percent: '10.00',
      reason: 'Loyalty',
      vatCategory: 'S',
      vatRate: '19.00',
      taxes: [],
    });
    assert.deepEqual(breakdown(result), [
      ['S', '19.00', '185.90', '35.32'], // 200 − 20 + 5.90; 35.321
      ['S', '7.00', '50.00', '3.50'],
    ]);
    assert.deepEqual(
      [
        result.totals.lineNet,
        result.totals.allowances,
        result.totals.charges,
        result.totals.net,
        result.totals.gross,
      ],
      ['250.00', '20.00', '5.90', '235.90', '274.72'],
    );
    assert.deepEqual(checkEn16931Invariants(result), []);
  });

  it('lets an exempt document charge inherit the exemption reason of the exempt lines', () => {
    const exempt = { vatCategory: 'E', vatRate: undefined, vatExemptionReason: 'Medical care' } as const;
    const result = computeTotals(doc([line(exempt)], { charges: [{ amount: '3.00', vatCategory: 'E' }] }));
    assert.deepEqual(result.vatBreakdown, [
      { category: 'E', rate: '0.00', taxable: '13.00', tax: '0.00', exemptionReason: 'Medical care' },
    ]);
  });

  it('subtracts the prepaid amount from the amount due (BR-CO-16)', () => {
    const result = computeTotals(doc([line({ unitPrice: '100.00' })], { prepaid: '50.00' }));
    assert.deepEqual(
      [result.totals.gross, result.totals.prepaid, result.totals.due],
      ['119.00', '50.00', '69.00'],
    );
  });

  it('prices an empty draft at zero when asked to', () => {
    const result = computeTotals(doc([]), { allowEmptyLines: true });
    assert.equal(result.totals.due, '0.00');
    assert.deepEqual(result.vatBreakdown, []);
  });
});

describe('worked examples: credit notes and correction lines', () => {
  it('prices a credit note with positive amounts, exactly like the invoice it corrects', () => {
    const lines = [line({ quantity: '3', unitPrice: '9.99', allowances: [{ percent: '10' }] })];
    const invoice = computeTotals(doc(lines));
    const creditNote = computeTotals(doc(lines));
    assert.deepEqual(creditNote.totals, invoice.totals);
    assert.equal(creditNote.totals.due, '32.09'); // 29.97 − 3.00 = 26.97; VAT 5.1243 → 5.12
  });

  it('mirrors a line exactly with a negative quantity, allowances and charges included', () => {
    const original = { unitPrice: '9.99', allowances: [{ percent: '10' }], charges: [{ amount: '0.50' }] };
    const result = computeTotals(
      doc([line({ quantity: '3', ...original }), line({ quantity: '-3', ...original })]),
    );
    const [plus, minus] = result.lines;
    assert.deepEqual(
      [plus?.amount, plus?.allowances[0]?.amount, plus?.charges[0]?.amount, plus?.net],
      ['29.97', '3.00', '0.50', '27.47'],
    );
    assert.deepEqual(
      [minus?.amount, minus?.allowances[0]?.amount, minus?.charges[0]?.amount, minus?.net],
      ['-29.97', '-3.00', '-0.50', '-27.47'],
    );
    assert.equal(result.totals.due, '0.00');
  });

  it('rounds negative half cents away from zero, like positive ones', () => {
    const result = computeTotals(
      doc([
        line({ quantity: '-1', unitPrice: '0.125' }),
        line({ quantity: '-1', unitPrice: '0.005', vatRate: '7' }),
      ]),
    );
    assert.deepEqual(
      result.lines.map((l) => l.net),
      ['-0.13', '-0.01'],
    );
    assert.deepEqual(breakdown(result), [
      ['S', '19.00', '-0.13', '-0.02'], // -0.0247
      ['S', '7.00', '-0.01', '0.00'], // -0.0007
    ]);
  });

  it('allows a document whose corrections outweigh its charges: the amount due turns negative', () => {
    const result = computeTotals(
      doc([line({ unitPrice: '100.00' }), line({ quantity: '-1', unitPrice: '150.00' })]),
    );
    assert.deepEqual(
      [result.totals.net, result.totals.vat, result.totals.due],
      ['-50.00', '-9.50', '-59.50'],
    );
    assert.deepEqual(checkEn16931Invariants(result), []);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { computeTotals } from '../../../src/domain/money/index.ts';
import { assertAppError, doc, line } from './factories.ts';

describe('cash rounding (BT-114)', () => {
  // 9.27 + 8.1 % VAT (0.750887 → 0.75) = 10.02.
  const swiss = [line({ unitPrice: '9.27', vatRate: '8.1' })];

  it('rounds the Swiss franc amount due to 0.05 and shows the difference as rounding', () => {
    const result = computeTotals(doc(swiss, { currency: 'CHF', cashRoundingIncrement: 'currency' }));
    assert.deepEqual(
      [result.totals.gross, result.totals.rounding, result.totals.due],
      ['10.02', '-0.02', '10.00'],
    );
  });

  it('rounds what is left after the prepaid amount, half away from zero', () => {
    const result = computeTotals(
      doc(swiss, { currency: 'CHF', cashRoundingIncrement: '0.05', prepaid: '2.99' }),
    );
    assert.deepEqual([result.totals.rounding, result.totals.due], ['0.02', '7.05']); // 7.03 → 7.05
  });

  it('rounds an exact half increment away from zero, for credits too', () => {
    const half = (quantity: string) =>
      computeTotals(
        doc([line({ quantity, unitPrice: '10.05', vatCategory: 'Z', vatRate: '0' })], {
          cashRoundingIncrement: '0.10',
        }),
      );
    assert.deepEqual([half('1').totals.rounding, half('1').totals.due], ['0.05', '10.10']);
    assert.deepEqual([half('-1').totals.rounding, half('-1').totals.due], ['-0.05', '-10.10']);
  });

  it('does not round without a request, nor for a currency without a cash increment', () => {
    assert.equal(computeTotals(doc(swiss, { currency: 'CHF' })).totals.due, '10.02');
    assert.equal(computeTotals(doc(swiss, { cashRoundingIncrement: 'currency' })).totals.due, '10.02');
  });

  it('rejects an increment finer than the minor unit or not above zero', () => {
    const finer = doc(swiss, { currency: 'CHF', cashRoundingIncrement: '0.005' });
    assertAppError(() => computeTotals(finer), 'TOO_MANY_DECIMALS', '/cashRoundingIncrement');
    const zero = doc(swiss, { currency: 'CHF', cashRoundingIncrement: '0' });
    assertAppError(() => computeTotals(zero), 'AMOUNT_OUT_OF_RANGE', '/cashRoundingIncrement');
  });
});

describe('input rules', () => {
  it('rejects a document without lines', () => {
    assertAppError(() => computeTotals(doc([])), 'EMPTY_LINES', '/lines');
  });

  it('rejects values that are not decimal strings', () => {
    assertAppError(
      () => computeTotals(doc([line({ quantity: '1e3' })])),
      'INVALID_AMOUNT',
      '/lines/0/quantity',
    );
    assertAppError(
      () => computeTotals(doc([line({ unitPrice: '12,50' })])),
      'INVALID_AMOUNT',
      '/lines/0/unitPrice',
    );
  });

  it('rejects more decimals than the currency has on amounts, and more than 6 on prices and quantities', () => {
    const allowance = line({ allowances: [{ amount: '1.005' }] });
    assertAppError(
      () => computeTotals(doc([allowance])),
      'TOO_MANY_DECIMALS',
      '/lines/0/allowances/0/amount',
    );
    const yen = doc([line({ unitPrice: '1000', allowances: [{ amount: '10.5' }] })], { currency: 'JPY' });
    assertAppError(() => computeTotals(yen), 'TOO_MANY_DECIMALS', '/lines/0/allowances/0/amount');
    assertAppError(() => computeTotals(doc([line({ unitPrice: '0.1234567' })])), 'TOO_MANY_DECIMALS');
    assertAppError(() => computeTotals(doc([line()], { prepaid: '0.001' })), 'TOO_MANY_DECIMALS', '/prepaid');
    assert.equal(computeTotals(doc([line({ unitPrice: '0.123456' })])).lines[0]?.netUnitPrice, '0.123456');
  });

  it('rejects quantity × price beyond 15 integer digits (numeric(19,4)), on the line', () => {
    const big = line({ quantity: '999999999999999', unitPrice: '10' });
    assertAppError(() => computeTotals(doc([big])), 'AMOUNT_OUT_OF_RANGE', '/lines/0');
    const roundsOver = line({ unitPrice: '999999999999999.995' }); // rounds to 10^15
    assertAppError(() => computeTotals(doc([roundsOver])), 'AMOUNT_OUT_OF_RANGE', '/lines/0');
    const tooLong = line({ quantity: '1000000000000000' });
    assertAppError(() => computeTotals(doc([tooLong])), 'AMOUNT_OUT_OF_RANGE', '/lines/0/quantity');
  });

  it('rejects totals beyond 15 integer digits even when every line fits', () => {
    const half = line({ quantity: '600000000000000', unitPrice: '1', vatCategory: 'Z', vatRate: '0' });
    assertAppError(() => computeTotals(doc([half, half])), 'AMOUNT_OUT_OF_RANGE', '/lines');
  });

  it('rejects negative prices (BR-27) and a price base quantity of zero', () => {
    assertAppError(
      () => computeTotals(doc([line({ unitPrice: '-1.00' })])),
      'AMOUNT_OUT_OF_RANGE',
      '/lines/0/unitPrice',
    );
    const zeroBase = line({ priceBaseQuantity: '0' });
    assertAppError(() => computeTotals(doc([zeroBase])), 'AMOUNT_OUT_OF_RANGE', '/lines/0/priceBaseQuantity');
  });

  it('rejects a gross unit price below the net price (negative price discount)', () => {
    const input = doc([line({ unitPrice: '10.00', grossUnitPrice: '9.00' })]);
    assertAppError(() => computeTotals(input), 'VALIDATION_FAILED', '/lines/0/grossUnitPrice');
  });

  it('rejects line allowances above their base: over 100 %, or more than the line plus its charges', () => {
    const percent = line({ allowances: [{ percent: '100.01' }] });
    assertAppError(
      () => computeTotals(doc([percent])),
      'ALLOWANCE_EXCEEDS_BASE',
      '/lines/0/allowances/0/percent',
    );
    const amount = line({ allowances: [{ amount: '6.00' }, { amount: '4.01' }] });
    assertAppError(() => computeTotals(doc([amount])), 'ALLOWANCE_EXCEEDS_BASE', '/lines/0/allowances');
    const covered = line({ allowances: [{ amount: '10.50' }], charges: [{ amount: '0.50' }] });
    assert.equal(computeTotals(doc([covered])).lines[0]?.net, '0.00');
  });

  it('rejects document allowances above the lines and charges of their VAT group', () => {
    const input = doc([line({ unitPrice: '10.00' })], {
      allowances: [{ amount: '10.01', vatCategory: 'S', vatRate: '19' }],
    });
    assertAppError(() => computeTotals(input), 'ALLOWANCE_EXCEEDS_BASE', '/allowances/0');
  });

  it('needs a base for a document percentage when no line shares its VAT group, and uses a given one', () => {
    const ac = { percent: '3', vatCategory: 'S', vatRate: '7' } as const;
    assertAppError(
      () => computeTotals(doc([line()], { charges: [ac] })),
      'VALIDATION_FAILED',
      '/charges/0/base',
    );
    const result = computeTotals(doc([line()], { charges: [{ ...ac, base: '100.00' }] }));
    assert.equal(result.charges[0]?.amount, '3.00');
  });

  it('wants an amount or a percentage on an allowance or charge, and both to agree when both are given', () => {
    const both = line({ allowances: [{ amount: '1.00', percent: '5' }] });
    assertAppError(
      () => computeTotals(doc([both])),
      'ALLOWANCE_AMOUNT_MISMATCH',
      '/lines/0/allowances/0/amount',
    );
    const neither = line({ charges: [{ reason: 'Freight' }] });
    assertAppError(() => computeTotals(doc([neither])), 'VALIDATION_FAILED', '/lines/0/charges/0');
  });

  it('requires the exemption reason on an exempt document charge when no line gives one', () => {
    const input = doc([line()], { charges: [{ amount: '5.00', vatCategory: 'E' }] });
    assertAppError(
      () => computeTotals(input),
      'VAT_EXEMPTION_REASON_REQUIRED',
      '/charges/0/vatExemptionReason',
    );
  });

  it('keeps VAT out of the stacked taxes and each scheme once per line', () => {
    const vat = line({ taxes: [{ scheme: 'VAT', rate: '5' }] });
    assertAppError(() => computeTotals(doc([vat])), 'VALIDATION_FAILED', '/lines/0/taxes/0/scheme');
    const twice = line({
      taxes: [
        { scheme: 'QST', rate: '9.975' },
        { scheme: 'QST', rate: '1' },
      ],
    });
    assertAppError(() => computeTotals(doc([twice])), 'VALIDATION_FAILED', '/lines/0/taxes/1/scheme');
  });
});

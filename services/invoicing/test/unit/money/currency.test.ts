import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FieldError } from '@invoice/contracts';
import { assertSameCurrency, computeTotals, currencyInfo } from '../../../src/domain/money/index.ts';
import { Dec, fixed, parseDecimal, round } from '../../../src/domain/money/decimal.ts';
import { assertAppError, doc, line } from './factories.ts';

describe('ISO 4217 currencies', () => {
  it('knows the minor unit of 0-, 2-, 3- and 4-decimal currencies', () => {
    const expected = {
      JPY: 0,
      KRW: 0,
      VND: 0,
      CLP: 0,
      EUR: 2,
      USD: 2,
      CHF: 2,
      BHD: 3,
      KWD: 3,
      JOD: 3,
      OMR: 3,
      TND: 3,
      IQD: 3,
      LYD: 3,
      CLF: 4,
      UYW: 4,
    };
    for (const [code, minorUnits] of Object.entries(expected)) {
      assert.equal(currencyInfo(code).minorUnits, minorUnits, code);
    }
  });

  it('rejects an unknown currency on the currency field', () => {
    assertAppError(() => computeTotals(doc([line()], { currency: 'EURO' })), 'UNKNOWN_CURRENCY', '/currency');
    assertAppError(() => computeTotals(doc([line()], { currency: 'HRK' })), 'UNKNOWN_CURRENCY', '/currency');
  });

  it('gives the customary cash increment only where coins below it were withdrawn', () => {
    assert.equal(currencyInfo('CHF').cashIncrement, '0.05');
    assert.equal(currencyInfo('SEK').cashIncrement, '1');
    assert.equal(currencyInfo('EUR').cashIncrement, undefined);
  });

  it('rejects amounts in another currency than the document, naming each field', () => {
    assert.doesNotThrow(() => assertSameCurrency('EUR', [{ field: '/lines/0/productId', currency: 'EUR' }]));
    const error = assertAppError(
      () =>
        assertSameCurrency('EUR', [
          { field: '/lines/0/productId', currency: 'EUR' },
          { field: '/lines/1/productId', currency: 'USD' },
        ]),
      'CURRENCY_MISMATCH',
      '/lines/1/productId',
    );
    assert.equal(error.errors.length, 1);
  });
});

describe('decimal helpers', () => {
  it('rounds half away from zero, for negative amounts too', () => {
    const cases = [
      ['0.125', '0.13'],
      ['-0.125', '-0.13'],
      ['-0.005', '-0.01'],
      ['2.345', '2.35'],
      ['-2.345', '-2.35'],
      ['0.124999', '0.12'],
    ];
    for (const [value, expected] of cases)
      assert.equal(fixed(round(new Dec(value as string), 2), 2), expected, value);
  });

  it('never writes a negative zero', () => {
    assert.equal(fixed(round(new Dec('-0.004'), 2), 2), '0.00');
    assert.equal(fixed(new Dec('-0'), 0), '0');
  });

  it('counts decimals by value, so trailing zeros are accepted', () => {
    const errors: FieldError[] = [];
    assert.equal(parseDecimal('1200.00', '/x', errors, { maxDecimals: 0 })?.toString(), '1200');
    assert.equal(parseDecimal('1200.5', '/y', errors, { maxDecimals: 0 }), undefined);
    assert.deepEqual(errors, [
      { field: '/y', message: 'must have at most 0 decimals', code: 'TOO_MANY_DECIMALS' },
    ]);
  });

  it('rejects exponents, commas and more than 15 integer digits', () => {
    const errors: FieldError[] = [];
    for (const value of ['1e3', '12,50', ' 1', '', '1000000000000000']) {
      assert.equal(parseDecimal(value, `/${value}`, errors, { maxDecimals: 6 }), undefined, value);
    }
    assert.deepEqual(
      errors.map((error) => error.code),
      ['INVALID_AMOUNT', 'INVALID_AMOUNT', 'INVALID_AMOUNT', 'INVALID_AMOUNT', 'AMOUNT_OUT_OF_RANGE'],
    );
  });
});

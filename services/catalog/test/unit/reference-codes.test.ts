import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  COUNTRY_CODES,
  CURRENCY_CODES,
  isCountryCode,
  isCurrencyCode,
} from '../../src/domain/reference-codes.ts';

test('the country list has the 249 assigned ISO 3166-1 codes, each known to ICU by name', () => {
  assert.equal(COUNTRY_CODES.size, 249);
  const names = new Intl.DisplayNames(['en'], { type: 'region' });
  const unnamed = [...COUNTRY_CODES].filter((code) => names.of(code) === code);
  assert.deepEqual(unnamed, []);
});

test('the original system\'s typo "gpb" and made-up codes are refused', () => {
  assert.equal(isCurrencyCode('GBP'), true);
  assert.equal(isCurrencyCode('GPB'), false);
  assert.equal(isCurrencyCode('gbp'), false);
  assert.equal(isCurrencyCode('XYZ'), false);
  assert.equal(isCountryCode('PL'), true);
  assert.equal(isCountryCode('UK'), false);
  assert.equal(isCountryCode('QQ'), false);
});

test('currencies invoicing prices in are accepted, withdrawn ones are not', () => {
  for (const code of ['EUR', 'USD', 'PLN', 'JPY', 'BHD', 'CHF', 'UAH', 'XCG', 'ZWG'])
    assert.ok(CURRENCY_CODES.has(code), code);
  for (const code of ['DEM', 'ANG', 'ZWL', 'XAU', 'XXX']) assert.equal(CURRENCY_CODES.has(code), false, code);
});

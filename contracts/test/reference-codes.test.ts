import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CURRENCY_CODES, CURRENCY_MINOR_UNITS, isCountryCode, isCurrencyCode } from '../src/index.ts';

describe('reference code lists', () => {
  it('has the 249 assigned ISO 3166-1 alpha-2 countries, each known to ICU by name', () => {
    const names = new Intl.DisplayNames(['en'], { type: 'region' });
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const known = [...letters].flatMap((a) => [...letters].map((b) => a + b)).filter(isCountryCode);
    assert.equal(known.length, 249);
    assert.deepEqual(
      known.filter((code) => names.of(code) === code),
      [],
    );
  });

  it('refuses the original system\'s typo "gpb" and made-up codes', () => {
    assert.equal(isCurrencyCode('GBP'), true);
    assert.equal(isCurrencyCode('GPB'), false);
    assert.equal(isCurrencyCode('gbp'), false);
    assert.equal(isCountryCode('PL'), true);
    assert.equal(isCountryCode('UK'), false);
  });

  it('lists active currencies only: current replacements in, withdrawn codes and metals out', () => {
    assert.ok(CURRENCY_CODES.length > 150);
    for (const code of ['EUR', 'USD', 'PLN', 'JPY', 'BHD', 'CHF', 'XCG', 'ZWG', 'SLE', 'VES', 'MRU', 'STN'])
      assert.ok(isCurrencyCode(code), code);
    for (const code of ['DEM', 'HRK', 'ANG', 'ZWL', 'CUC', 'MRO', 'XAU', 'XXX', 'XDR'])
      assert.equal(isCurrencyCode(code), false, code);
  });

  it('knows the minor units of 0-, 2-, 3- and 4-decimal currencies', () => {
    const expected = { JPY: 0, KRW: 0, EUR: 2, CHF: 2, BHD: 3, KWD: 3, CLF: 4 };
    for (const [code, digits] of Object.entries(expected))
      assert.equal(CURRENCY_MINOR_UNITS.get(code), digits, code);
  });
});

describe('code schemas', () => {
  it('refuse well-shaped but unassigned currency and country codes', async () => {
    const { Value } = await import('typebox/value');
    const { CountryCodeSchema, CurrencyCodeSchema } = await import('../src/index.ts');
    assert.equal(Value.Check(CurrencyCodeSchema, 'EUR'), true);
    assert.equal(Value.Check(CurrencyCodeSchema, 'XYZ'), false);
    assert.equal(Value.Check(CountryCodeSchema, 'DE'), true);
    assert.equal(Value.Check(CountryCodeSchema, 'QQ'), false);
  });
});

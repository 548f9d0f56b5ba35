import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from 'typebox';
import { silentLogger } from '@invoice/platform-testing';
import { createServer, isAcceptableTaxId, isValidIban, type App } from '../src/index.ts';

describe('IBAN checksum (ISO 13616 mod 97)', () => {
  it('accepts IBANs with right check digits', () => {
    for (const iban of [
      'DE89370400440532013000',
      'GB29NWBK60161331926819',
      'PL61109010140000071219812874',
      'FR1420041010050500013M02606',
    ]) {
      assert.equal(isValidIban(iban), true, iban);
    }
  });

  it('refuses an IBAN with one digit changed or its check digits swapped', () => {
    assert.equal(isValidIban('DE89370400440532013001'), false);
    assert.equal(isValidIban('DE98370400440532013000'), false);
    assert.equal(isValidIban('GB29NWBK60161331926818'), false);
  });

  it('refuses what is not an IBAN at all', () => {
    for (const text of ['', 'DE', '1234567890', 'DE89-3704-0044'])
      assert.equal(isValidIban(text), false, text);
  });
});

describe('format: iban in a request schema', () => {
  let app: App;

  before(async () => {
    app = await createServer({ service: 'test', logger: silentLogger() });
    app.post(
      '/accounts',
      { schema: { body: Type.Object({ iban: Type.String({ format: 'iban' }) }) } },
      async (request) => request.body,
    );
    await app.ready();
  });

  after(async () => {
    await app.close();
  });

  it('refuses an IBAN with a wrong checksum with 400 naming the field', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/accounts',
      payload: { iban: 'DE89370400440532013001' },
    });
    assert.equal(response.statusCode, 400);
    assert.deepEqual(response.json().errors, [
      { field: '/iban', in: 'body', message: 'must be a valid IBAN (shape and check digits)' },
    ]);
  });

  it('accepts a valid IBAN', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/accounts',
      payload: { iban: 'DE89370400440532013000' },
    });
    assert.equal(response.statusCode, 200);
  });
});

describe('tax ids (format: tax-id)', () => {
  it('accepts European VAT numbers of the right shape, written compactly or with separators', () => {
    for (const id of [
      'DE136695976',
      'DE123456789',
      'ATU13585627',
      'PL 526-025-02-74',
      'FR40303265045',
      'IE6388047V',
    ]) {
      assert.equal(isAcceptableTaxId(id), true, id);
    }
  });

  it('refuses a European VAT number of the wrong shape for its country', () => {
    for (const id of ['DE12345', 'ATU1358562', 'PL52602502']) assert.equal(isAcceptableTaxId(id), false, id);
  });

  it('accepts national and non-European tax ids as given', () => {
    for (const id of ['5260250274', '12-3456789', 'ALICE-TAX', '0123'])
      assert.equal(isAcceptableTaxId(id), true, id);
  });
});

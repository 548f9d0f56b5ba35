import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeEmail } from '../../../src/domain/email.ts';

describe('normalizeEmail', () => {
  it('lower-cases and trims so one address is one account', () => {
    assert.equal(normalizeEmail('  Ada.Lovelace@Example.COM '), 'ada.lovelace@example.com');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyOrganizationPatch, type OrganizationProfile } from '../../../src/domain/organization.ts';

const current: OrganizationProfile = {
  name: 'Acme',
  taxId: '0123',
  phone: '+1 555',
  address: { line1: 'Main St 1', city: 'Springfield', postalCode: '12345', country: 'US' },
  bankAccount: { iban: 'DE89370400440532013000' },
};

describe('applyOrganizationPatch (JSON Merge Patch)', () => {
  it('keeps absent fields and replaces given ones', () => {
    const { profile, changed } = applyOrganizationPatch(current, {
      name: 'Acme Inc',
      legalName: 'Acme Incorporated',
    });
    assert.equal(changed, true);
    assert.deepEqual(profile, { ...current, name: 'Acme Inc', legalName: 'Acme Incorporated' });
  });

  it('removes fields set to null', () => {
    const { profile } = applyOrganizationPatch(current, { phone: null, taxId: null, bankAccount: null });
    assert.deepEqual(profile, { name: 'Acme', address: current.address });
  });

  it('merges nested objects field by field and drops an object left empty', () => {
    const { profile } = applyOrganizationPatch(current, {
      address: { city: 'Shelbyville', line1: null },
      bankAccount: { iban: null },
    });
    assert.deepEqual(profile.address, { city: 'Shelbyville', postalCode: '12345', country: 'US' });
    assert.equal('bankAccount' in profile, false);
  });

  it('reports no change when the patch restates the current values', () => {
    const { changed } = applyOrganizationPatch(current, {
      name: 'Acme',
      address: { city: 'Springfield' },
      legalName: null,
    });
    assert.equal(changed, false);
  });

  it('does not mutate the current profile', () => {
    const snapshot = structuredClone(current);
    applyOrganizationPatch(current, { address: { city: 'Elsewhere' }, phone: null });
    assert.deepEqual(current, snapshot);
  });
});

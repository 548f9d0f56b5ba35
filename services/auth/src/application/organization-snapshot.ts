/** Maps the organization row to its public snapshot (HTTP responses, events, RPC) and back. */
import type { Organization as OrganizationSnapshot } from '@invoice/contracts';
import type { InferEntity } from '@mikro-orm/core';
import type { OrganizationProfile } from '../domain/organization.ts';
import type { Organization } from '../db/organization.entity.ts';

/** An organization row. */
export type OrganizationRow = InferEntity<typeof Organization>;

/** The snapshot other services replicate; unset fields are left out, never null. */
export function toOrganizationSnapshot(row: OrganizationRow): OrganizationSnapshot {
  return { id: row.id, ...toProfile(row), version: row.version };
}

/** The editable profile of a row. */
export function toProfile(row: OrganizationRow): OrganizationProfile {
  const profile: OrganizationProfile = { name: row.name };
  if (row.legalName) profile.legalName = row.legalName;
  if (row.taxId) profile.taxId = row.taxId;
  if (row.companyNumber) profile.companyNumber = row.companyNumber;
  if (row.email) profile.email = row.email;
  if (row.phone) profile.phone = row.phone;
  if (row.address && Object.keys(row.address).length > 0)
    profile.address = row.address as OrganizationProfile['address'];
  if (row.bankAccount && Object.keys(row.bankAccount).length > 0) profile.bankAccount = row.bankAccount;
  if (row.defaultCurrency) profile.defaultCurrency = row.defaultCurrency;
  return profile;
}

/** Writes a profile onto a row (absent optional fields become null). */
export function assignProfile(row: OrganizationRow, profile: OrganizationProfile): void {
  row.name = profile.name;
  row.legalName = profile.legalName ?? null;
  row.taxId = profile.taxId ?? null;
  row.companyNumber = profile.companyNumber ?? null;
  row.email = profile.email ?? null;
  row.phone = profile.phone ?? null;
  row.address = profile.address ?? null;
  row.bankAccount = profile.bankAccount ?? null;
  row.defaultCurrency = profile.defaultCurrency ?? null;
}

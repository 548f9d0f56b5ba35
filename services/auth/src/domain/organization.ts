/** Rules of the organization profile (the seller on every invoice). */
import { isDeepStrictEqual } from 'node:util';
import type { Organization, OrganizationPatch } from '@invoice/contracts';

/** The editable profile: the snapshot without its id and version. */
export type OrganizationProfile = Omit<Organization, 'id' | 'version'>;

type Flat = Record<string, string>;
type FlatPatch = Record<string, string | null | undefined>;

const SCALAR_FIELDS = ['legalName', 'taxId', 'companyNumber', 'email', 'phone', 'defaultCurrency'] as const;

/**
 * Applies a JSON Merge Patch (RFC 7396) to a profile: absent fields stay, `null` removes, nested
 * objects merge. Returns the new profile and whether anything changed (an unchanged profile keeps
 * its version and emits no event).
 */
export function applyOrganizationPatch(
  current: OrganizationProfile,
  patch: OrganizationPatch,
): { profile: OrganizationProfile; changed: boolean } {
  const next: OrganizationProfile = { ...current };
  if (patch.name !== undefined) next.name = patch.name;
  for (const field of SCALAR_FIELDS) {
    const value = patch[field];
    if (value === null) delete next[field];
    else if (value !== undefined) next[field] = value;
  }
  setOrDelete(next, 'address', mergeFlat(current.address as Flat | undefined, patch.address));
  setOrDelete(next, 'bankAccount', mergeFlat(current.bankAccount as Flat | undefined, patch.bankAccount));
  return { profile: next, changed: !isDeepStrictEqual(normalize(current), normalize(next)) };
}

/** Merges one nested object; an object left without fields disappears. */
function mergeFlat(current: Flat | undefined, patch: FlatPatch | null | undefined): Flat | undefined {
  if (patch === undefined) return current;
  if (patch === null) return undefined;
  const merged: Flat = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else if (value !== undefined) merged[key] = value;
  }
  return Object.keys(merged).length > 0 ? merged : undefined;
}

function setOrDelete<K extends 'address' | 'bankAccount'>(
  target: OrganizationProfile,
  key: K,
  value: Flat | undefined,
): void {
  if (value === undefined) delete target[key];
  else target[key] = value as OrganizationProfile[K];
}

/** Drops undefined members so `{a: undefined}` equals `{}`. */
function normalize(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

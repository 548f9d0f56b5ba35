/** Rules for a client's fields: normalization, PATCH application and code-list checks. */
import type { Address, ClientCreate, ClientPatch, FieldError } from '@invoice/contracts';
import { mergePatch } from './patch.ts';
import { isCountryCode, isCurrencyCode } from '@invoice/contracts';

/** The editable state of a client (what a create body carries). */
export type ClientFields = ClientCreate;

/** Trims the name, lower-cases emails and drops an empty contact, so equal input stores equally. */
export function normalizeClient(fields: ClientFields): ClientFields {
  const next: ClientFields = { ...fields, name: fields.name.trim() };
  if (next.email !== undefined) next.email = next.email.toLowerCase();
  if (next.contact) {
    const contact = { ...next.contact };
    if (contact.email !== undefined) contact.email = contact.email.toLowerCase();
    next.contact = contact;
    if (Object.values(contact).every((value) => value === undefined)) delete next.contact;
  }
  return next;
}

/** The state after a PATCH, normalized. */
export function applyClientPatch(current: ClientFields, patch: ClientPatch): ClientFields {
  return normalizeClient(mergePatch(current, patch));
}

/**
 * Codes the schema accepts by shape but that are not assigned (`XYZ`, `QQ`), as field errors. Takes
 * a create body or a PATCH body, so a PATCH is judged by what it sends, not by older stored data.
 */
export function clientFieldErrors(fields: {
  defaultCurrency?: string | null;
  address?: Address | null;
}): FieldError[] {
  const errors: FieldError[] = [];
  if (typeof fields.defaultCurrency === 'string' && !isCurrencyCode(fields.defaultCurrency)) {
    errors.push({ field: '/defaultCurrency', message: 'is not an active ISO 4217 currency code' });
  }
  if (fields.address && !isCountryCode(fields.address.country)) {
    errors.push({ field: '/address/country', message: 'is not an ISO 3166-1 alpha-2 country code' });
  }
  return errors;
}

/**
 * Rules for a client's fields: normalization and PATCH application. Currency and country codes are
 * checked against the ISO lists by the contract schemas (400 VALIDATION_FAILED naming the field).
 */
import type { ClientCreate, ClientPatch } from '@invoice/contracts';
import { mergePatch } from './patch.ts';

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

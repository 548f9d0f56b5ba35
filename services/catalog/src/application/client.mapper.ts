/** Conversions between client rows, domain fields, the HTTP shape and the event snapshot. */
import { compact, type Client, type ClientSnapshot } from '@invoice/contracts';
import type { ClientRow } from '../db/client.entity.ts';
import type { ClientFields } from '../domain/client.rules.ts';

/** The editable fields of a row (NULL columns become absent fields). */
export function clientFieldsOf(row: ClientRow): ClientFields {
  return compact({
    name: row.name,
    email: row.email,
    taxId: row.taxId,
    companyNumber: row.companyNumber,
    address: row.address,
    shippingAddress: row.shippingAddress,
    invoiceEmails: row.invoiceEmails,
    contact: row.contact,
    defaultCurrency: row.defaultCurrency,
    paymentTermsDays: row.paymentTermsDays,
    language: row.language,
    notes: row.notes,
  }) as ClientFields;
}

/** Writes fields onto a row (absent fields become NULL). */
export function assignClientFields(row: ClientRow, fields: ClientFields): void {
  row.name = fields.name;
  row.email = fields.email ?? null;
  row.taxId = fields.taxId ?? null;
  row.companyNumber = fields.companyNumber ?? null;
  row.address = fields.address ?? null;
  row.shippingAddress = fields.shippingAddress ?? null;
  row.invoiceEmails = fields.invoiceEmails ?? null;
  row.contact = fields.contact ?? null;
  row.defaultCurrency = fields.defaultCurrency ?? null;
  row.paymentTermsDays = fields.paymentTermsDays ?? null;
  row.language = fields.language ?? null;
  row.notes = fields.notes ?? null;
}

/** The client as the API returns it. */
export function toClient(row: ClientRow): Client {
  return {
    id: row.id,
    ...clientFieldsOf(row),
    ...(row.archivedAt ? { archivedAt: row.archivedAt.toISOString() } : {}),
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The client as other services replicate it (internal notes stay in the catalog). */
export function toClientSnapshot(row: ClientRow): ClientSnapshot {
  const { notes: _notes, ...shared } = clientFieldsOf(row);
  return { id: row.id, ...shared, ...(row.archivedAt ? { archived: true } : {}), version: row.version };
}

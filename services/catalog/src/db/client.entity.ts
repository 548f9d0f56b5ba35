import type { InferEntity } from '@mikro-orm/core';
import type { Address, ClientContact } from '@invoice/contracts';
import { defineEntity, p } from '@invoice/platform-db';

/** A client (customer) of an organization. Soft-deleted: invoices keep their own snapshots. */
export const ClientEntity = defineEntity({
  name: 'Client',
  tableName: 'clients',
  properties: {
    id: p.uuid().primary(),
    orgId: p.uuid().name('org_id'),
    name: p.text(),
    email: p.text().nullable(),
    taxId: p.text().name('tax_id').nullable(),
    companyNumber: p.text().name('company_number').nullable(),
    address: p.json<Address>().nullable(),
    shippingAddress: p.json<Address>().name('shipping_address').nullable(),
    invoiceEmails: p.json<string[]>().name('invoice_emails').nullable(),
    contact: p.json<ClientContact>().nullable(),
    defaultCurrency: p.text().name('default_currency').nullable(),
    paymentTermsDays: p.integer().name('payment_terms_days').nullable(),
    language: p.text().nullable(),
    notes: p.text().nullable(),
    // Set by the application (not MikroORM's optimistic lock): rows are locked FOR UPDATE, so the
    // version in the outbox event is exactly the committed one.
    version: p.integer(),
    createdAt: p.datetime().name('created_at'),
    updatedAt: p.datetime().name('updated_at'),
    archivedAt: p.datetime().name('archived_at').nullable(),
    deletedAt: p.datetime().name('deleted_at').nullable(),
  },
});

/** A loaded client row. */
export type ClientRow = InferEntity<typeof ClientEntity>;

/**
 * Test data: catalog and auth events published on the test namespace (the consumers fill the
 * replicas from them), and request bodies with overrides.
 */
import { randomUUID } from 'node:crypto';
import {
  newId,
  Subjects,
  type ClientSnapshot,
  type Organization,
  type ProductSnapshot,
} from '@invoice/contracts';
import { waitFor } from '@invoice/platform-testing';
import type { Harness } from './harness.ts';

/** A client as catalog publishes it. */
export function clientSnapshot(overrides: Partial<ClientSnapshot> = {}): ClientSnapshot {
  return {
    id: newId(),
    name: 'Acme GmbH',
    email: 'billing@acme.example',
    taxId: 'DE123456789',
    address: { line1: 'Hauptstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
    defaultCurrency: 'EUR',
    version: 1,
    ...overrides,
  };
}

/** A product as catalog publishes it. */
export function productSnapshot(overrides: Partial<ProductSnapshot> = {}): ProductSnapshot {
  return {
    id: newId(),
    name: 'Consulting hour',
    unitPrice: '100.00',
    currency: 'EUR',
    unitCode: 'HUR',
    vatRate: '19',
    version: 1,
    ...overrides,
  };
}

/** The seller as auth publishes it. */
export function organizationSnapshot(id: string, overrides: Partial<Organization> = {}): Organization {
  return {
    id,
    name: 'Seller AG',
    taxId: 'DE999999999',
    address: { line1: 'Marktplatz 2', city: 'Hamburg', postalCode: '20095', country: 'DE' },
    bankAccount: { iban: 'DE89370400440532013000' },
    defaultCurrency: 'EUR',
    version: 1,
    ...overrides,
  };
}

/**
 * Publishes an event about the replica `event.subject` names, as its source's relay would, and
 * waits until the replica holds `version` (or a later one).
 */
async function publishReplicated(
  harness: Harness,
  tableName: string,
  version: number,
  event: { type: string; source: string; orgId: string; subject: string; data: unknown },
): Promise<void> {
  await harness.publish(event);
  await waitFor(async () => ((await replicaVersion(harness, tableName, event.subject)) ?? 0) >= version, {
    what: `${tableName} ${event.subject} at version ${version}`,
  });
}

async function replicaVersion(harness: Harness, tableName: string, id: string): Promise<number | undefined> {
  const rows = await harness.deps.orm.em
    .fork()
    .getConnection()
    .execute<{ version: number }[]>(`select version from "invoicing"."${tableName}" where id = ?`, [id]);
  return rows[0]?.version;
}

/** Publishes `catalog.client.upserted.v1` and waits for the replica. */
export async function publishClient(
  harness: Harness,
  orgId: string,
  client: ClientSnapshot,
): Promise<ClientSnapshot> {
  await publishReplicated(harness, 'client_replicas', client.version, {
    type: Subjects.ClientUpserted,
    source: 'catalog',
    orgId,
    subject: client.id,
    data: { client },
  });
  return client;
}

/** Publishes `catalog.product.upserted.v1` and waits for the replica. */
export async function publishProduct(
  harness: Harness,
  orgId: string,
  product: ProductSnapshot,
): Promise<ProductSnapshot> {
  await publishReplicated(harness, 'product_replicas', product.version, {
    type: Subjects.ProductUpserted,
    source: 'catalog',
    orgId,
    subject: product.id,
    data: { product },
  });
  return product;
}

/** Publishes `auth.organization.updated.v1` and waits for the replica. */
export async function publishOrganization(
  harness: Harness,
  organization: Organization,
): Promise<Organization> {
  await publishReplicated(harness, 'organization_replicas', organization.version, {
    type: Subjects.OrganizationUpdated,
    source: 'auth',
    orgId: organization.id,
    subject: organization.id,
    data: { organization },
  });
  return organization;
}

/** A tenant with a seller profile and one client, ready to invoice. */
export async function seedTenant(harness: Harness, clientOverrides: Partial<ClientSnapshot> = {}) {
  const orgId = randomUUID();
  await publishOrganization(harness, organizationSnapshot(orgId));
  const client = await publishClient(harness, orgId, clientSnapshot(clientOverrides));
  const token = await harness.token(orgId);
  return { orgId, client, token, auth: { authorization: `Bearer ${token}` } };
}

/** A line without a product. */
export function line(overrides: Record<string, unknown> = {}) {
  return {
    description: 'Design work',
    quantity: '3',
    unitCode: 'HUR',
    unitPrice: '19.99',
    vatCategory: 'S',
    vatRate: '19',
    ...overrides,
  };
}

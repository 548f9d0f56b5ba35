/**
 * Reads and writes of the replicas. Writes keep the highest `version` (an older or repeated event
 * changes nothing) and deletions leave a tombstone, because upserts and deletions arrive on different
 * subjects and may be processed in any order. A deletion with a version loses against a newer upsert
 * (a restore); one without a version is final.
 */
import type { ClientSnapshot, Organization, ProductSnapshot } from '@invoice/contracts';
import { qualified, type EntityManager } from '@invoice/platform-db';
import { placeholders } from './sql.ts';

/** A replica row as read: `deleted` rows exist but must be treated as missing (without asking again). */
export interface ReplicaRead<T> {
  data: T | null;
  deleted: boolean;
}

type CatalogTable = 'client_replicas' | 'product_replicas';

async function upsertCatalog(
  em: EntityManager,
  name: CatalogTable,
  orgId: string,
  id: string,
  version: number,
  data: unknown,
): Promise<void> {
  await em.execute(
    `insert into ${qualified(em, name)} as r (org_id, id, version, data) values (?, ?, ?, ?)
     on conflict (org_id, id) do update
       set version = excluded.version, data = excluded.data, deleted_at = null, updated_at = now()
     where r.version < excluded.version`,
    [orgId, id, version, JSON.stringify(data)],
  );
}

/** Version of a deletion that carries none: no upsert can ever win against it. */
const FINAL_VERSION = 2_147_483_647;

async function tombstone(
  em: EntityManager,
  name: CatalogTable,
  orgId: string,
  id: string,
  version: number | undefined,
): Promise<void> {
  await em.execute(
    `insert into ${qualified(em, name)} as r (org_id, id, version, data, deleted_at) values (?, ?, ?, null, now())
     on conflict (org_id, id) do update
       set version = excluded.version, deleted_at = coalesce(r.deleted_at, now()), updated_at = now()
     where r.version <= excluded.version`,
    [orgId, id, version ?? FINAL_VERSION],
  );
}

async function readCatalog<T>(
  em: EntityManager,
  name: CatalogTable,
  orgId: string,
  ids: readonly string[],
): Promise<Map<string, ReplicaRead<T>>> {
  if (ids.length === 0) return new Map();
  const rows = await em.execute<{ id: string; data: T | string | null; deleted_at: string | null }[]>(
    `select id, data, deleted_at from ${qualified(em, name)} where org_id = ? and id in (${placeholders(ids.length)})`,
    [orgId, ...ids],
  );
  return new Map(
    rows.map((row) => [row.id, { data: parseJson<T>(row.data), deleted: row.deleted_at !== null }]),
  );
}

function parseJson<T>(value: T | string | null): T | null {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

/** Stores a client unless a newer version is already there. */
export const upsertClient = (em: EntityManager, orgId: string, client: ClientSnapshot) =>
  upsertCatalog(em, 'client_replicas', orgId, client.id, client.version, client);
/** Marks a client deleted as of `version` (for good without one). */
export const deleteClient = (em: EntityManager, orgId: string, clientId: string, version?: number) =>
  tombstone(em, 'client_replicas', orgId, clientId, version);
/** The replica rows of these clients (absent ids: never heard of). */
export const readClients = (em: EntityManager, orgId: string, ids: readonly string[]) =>
  readCatalog<ClientSnapshot>(em, 'client_replicas', orgId, ids);

/** Stores a product unless a newer version is already there. */
export const upsertProduct = (em: EntityManager, orgId: string, product: ProductSnapshot) =>
  upsertCatalog(em, 'product_replicas', orgId, product.id, product.version, product);
/** Marks a product deleted as of `version` (for good without one). */
export const deleteProduct = (em: EntityManager, orgId: string, productId: string, version?: number) =>
  tombstone(em, 'product_replicas', orgId, productId, version);
/** The replica rows of these products. */
export const readProducts = (em: EntityManager, orgId: string, ids: readonly string[]) =>
  readCatalog<ProductSnapshot>(em, 'product_replicas', orgId, ids);

/** Stores the organization unless a newer version is already there. */
export async function upsertOrganization(em: EntityManager, organization: Organization): Promise<void> {
  await em.execute(
    `insert into ${qualified(em, 'organization_replicas')} as r (id, version, data) values (?, ?, ?)
     on conflict (id) do update set version = excluded.version, data = excluded.data, updated_at = now()
     where r.version < excluded.version`,
    [organization.id, organization.version, JSON.stringify(organization)],
  );
}

/** What {@link readReplicas} reads in one round trip. */
export interface ReplicaSet {
  clients: Map<string, ReplicaRead<ClientSnapshot>>;
  products: Map<string, ReplicaRead<ProductSnapshot>>;
  /** Absent when not asked for; null when there is no replica row. */
  organization?: Organization | null;
}

/**
 * Clients, products and the organization in ONE statement (a draft needs all three before it can be
 * priced). Absent ids were never heard of; `organization` is read only when asked for.
 */
export async function readReplicas(
  em: EntityManager,
  orgId: string,
  want: { clientIds?: readonly string[]; productIds?: readonly string[]; organization?: boolean },
): Promise<ReplicaSet> {
  const clientIds = want.clientIds ?? [];
  const productIds = want.productIds ?? [];
  const parts: string[] = [];
  const params: unknown[] = [];
  if (clientIds.length > 0) {
    parts.push(
      `select 'c' as kind, id, data, deleted_at is not null as deleted from ${qualified(em, 'client_replicas')}
       where org_id = ? and id in (${placeholders(clientIds.length)})`,
    );
    params.push(orgId, ...clientIds);
  }
  if (productIds.length > 0) {
    parts.push(
      `select 'p' as kind, id, data, deleted_at is not null as deleted from ${qualified(em, 'product_replicas')}
       where org_id = ? and id in (${placeholders(productIds.length)})`,
    );
    params.push(orgId, ...productIds);
  }
  if (want.organization) {
    parts.push(
      `select 'o' as kind, id, data, false as deleted from ${qualified(em, 'organization_replicas')} where id = ?`,
    );
    params.push(orgId);
  }
  const result: ReplicaSet = { clients: new Map(), products: new Map() };
  if (want.organization) result.organization = null;
  if (parts.length === 0) return result;
  const rows = await em.execute<{ kind: 'c' | 'p' | 'o'; id: string; data: unknown; deleted: boolean }[]>(
    parts.join(' union all '),
    params,
  );
  for (const row of rows) {
    if (row.kind === 'o') {
      result.organization = parseJson(row.data as Organization | string);
      continue;
    }
    const read = { data: parseJson(row.data as never), deleted: row.deleted };
    (row.kind === 'c' ? result.clients : result.products).set(row.id, read as never);
  }
  return result;
}

/** The replicated organization, or null. */
export async function readOrganization(em: EntityManager, id: string): Promise<Organization | null> {
  const rows = await em.execute<{ data: Organization | string }[]>(
    `select data from ${qualified(em, 'organization_replicas')} where id = ?`,
    [id],
  );
  return rows[0] ? parseJson<Organization>(rows[0].data) : null;
}

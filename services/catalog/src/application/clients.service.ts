/** Client use cases: the shared versioned-resource mechanics configured for clients. */
import {
  Subjects,
  type ClientCreate,
  type ClientListQuery,
  type ClientPatch,
  type ClientSnapshot,
} from '@invoice/contracts';
import type { MikroORM } from '@invoice/platform-db';
import { raw, type FilterQuery } from '@mikro-orm/core';
import type { IfMatch } from '@invoice/platform-http';
import { ClientEntity, type ClientRow } from '../db/client.entity.ts';
import { applyClientPatch, normalizeClient, type ClientFields } from '../domain/client.rules.ts';
import { assignClientFields, clientFieldsOf, toClientSnapshot } from './client.mapper.ts';
import { escapeLike } from '../domain/search.ts';
import { DEFAULT_LIMIT, type Page } from './paging.ts';
import { afterCursor, encodeProductCursor, productOrder } from './product-query.ts';
import {
  findLive,
  getLive,
  insertVersioned,
  setArchivedVersioned,
  softDeleteVersioned,
  updateVersioned,
  type VersionedResource,
} from './versioned-resource.ts';

const clients: VersionedResource<ClientRow, ClientFields> = {
  name: 'client',
  entity: ClientEntity,
  create: (em, base, fields) => em.create(ClientEntity, { ...base, name: fields.name }),
  fieldsOf: clientFieldsOf,
  assignFields: assignClientFields,
  search: (pattern) => ({ name: { $ilike: pattern } }),
  upserted: { type: Subjects.ClientUpserted, data: (row) => ({ client: toClientSnapshot(row) }) },
  deleted: { type: Subjects.ClientDeleted, data: (row) => ({ clientId: row.id, version: row.version }) },
};

/** The replica shape of a live client, or null; shared by the RPC responder. */
export async function findClientSnapshot(
  orm: MikroORM,
  orgId: string,
  id: string,
): Promise<ClientSnapshot | null> {
  const row = await findLive(orm.em.fork(), clients, orgId, id);
  return row ? toClientSnapshot(row) : null;
}

/** A live client of the organization; 404 otherwise. */
export async function getClient(orm: MikroORM, orgId: string, id: string): Promise<ClientRow> {
  return getLive(orm, clients, orgId, id);
}

/**
 * One page of live clients: `q` matches the start of the name, email or tax id (case-insensitive,
 * served by prefix indexes), `status` the archive state, `sort` the order (keyset cursor).
 */
export async function listClients(
  orm: MikroORM,
  orgId: string,
  query: ClientListQuery,
): Promise<Page<ClientRow>> {
  const em = orm.em.fork();
  const limit = query.limit ?? DEFAULT_LIMIT;
  const where = clientWhere(orgId, query);
  const after = query.cursor === undefined ? undefined : afterCursor<ClientRow>(query.cursor, query.sort);
  const rows = await em.find(ClientEntity, after ? { $and: [where, after] } : where, {
    orderBy: productOrder<ClientRow>(query.sort),
    limit: limit + 1,
  });
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeProductCursor(last, query.sort) : null };
}

/** The WHERE of live clients of the organization matching the list filters (shared by the export). */
export function clientWhere(orgId: string, filter: ClientFilter): FilterQuery<ClientRow> {
  const and: FilterQuery<ClientRow>[] = [{ orgId, deletedAt: null }];
  const status = filter.status ?? 'active';
  if (status === 'active') and.push({ archivedAt: null });
  if (status === 'archived') and.push({ archivedAt: { $ne: null } });
  if (filter.q) {
    const prefix = `${escapeLike(filter.q.toLowerCase())}%`;
    and.push({
      $or: ['name', 'email', 'tax_id'].map((column) => ({ [raw(`lower(${column})`)]: { $like: prefix } })),
    } as FilterQuery<ClientRow>);
  }
  return { $and: and };
}

/** The list filters of clients. */
export interface ClientFilter {
  q?: string;
  status?: 'active' | 'archived' | 'all';
  sort?: string;
}

/** Archives or unarchives a client (see DESIGN: invoices keep their snapshot; archived clients get no new ones). */
export async function setClientArchived(
  orm: MikroORM,
  orgId: string,
  id: string,
  archived: boolean,
): Promise<ClientRow> {
  return setArchivedVersioned(orm, clients, { orgId, id, ifMatch: { kind: 'absent' } }, archived);
}

/** Creates a client (version 1) and its upserted event. */
export async function createClient(orm: MikroORM, orgId: string, body: ClientCreate): Promise<ClientRow> {
  return insertVersioned(orm, clients, orgId, normalizeClient(body));
}

/** Applies a PATCH; a PATCH that changes nothing keeps the version and publishes nothing. */
export async function updateClient(
  orm: MikroORM,
  orgId: string,
  id: string,
  patch: ClientPatch,
  ifMatch: IfMatch,
): Promise<ClientRow> {
  return updateVersioned(orm, clients, { orgId, id, ifMatch }, (current) => applyClientPatch(current, patch));
}

/** Soft-deletes a client (it leaves lists and lookups; invoices keep their snapshots); returns the deleted row. */
export async function deleteClient(
  orm: MikroORM,
  orgId: string,
  id: string,
  ifMatch: IfMatch,
): Promise<ClientRow> {
  return softDeleteVersioned(orm, clients, { orgId, id, ifMatch });
}

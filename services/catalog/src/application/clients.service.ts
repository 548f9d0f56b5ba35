/** Client use cases: the shared versioned-resource mechanics configured for clients. */
import {
  Subjects,
  type ClientCreate,
  type ClientListQuery,
  type ClientPatch,
  type ClientSnapshot,
} from '@invoice/contracts';
import type { MikroORM } from '@invoice/platform-db';
import type { IfMatch } from '@invoice/platform-http';
import { ClientEntity, type ClientRow } from '../db/client.entity.ts';
import { applyClientPatch, normalizeClient, type ClientFields } from '../domain/client.rules.ts';
import { assignClientFields, clientFieldsOf, toClientSnapshot } from './client.mapper.ts';
import type { Page } from './paging.ts';
import {
  findLive,
  getLive,
  insertVersioned,
  listLive,
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

/** One page of live clients in id order, optionally filtered by part of the name. */
export async function listClients(
  orm: MikroORM,
  orgId: string,
  query: ClientListQuery,
): Promise<Page<ClientRow>> {
  return listLive(orm, clients, orgId, query);
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

/**
 * Client use cases. Each write is one transaction that locks the row, applies the change, bumps the
 * version and writes the event to the outbox, so the event's version is the committed one.
 */
import {
  createEnvelope,
  newId,
  Subjects,
  type ClientCreate,
  type ClientListQuery,
  type ClientPatch,
  type ClientSnapshot,
} from '@invoice/contracts';
import { inTransaction, type EntityManager, type MikroORM } from '@invoice/platform-db';
import { enqueueEvent } from '@invoice/platform-outbox';
import { LockMode } from '@mikro-orm/core';
import { ClientEntity, type ClientRow } from '../db/client.entity.ts';
import { applyClientPatch, clientFieldErrors, normalizeClient } from '../domain/client.rules.ts';
import { sameJson } from '../domain/patch.ts';
import { containsPattern } from '../domain/search.ts';
import { assignClientFields, clientFieldsOf, toClientSnapshot } from './client.mapper.ts';
import { assertIfMatch, assertNoFieldErrors, notFound } from './errors.ts';
import { DEFAULT_LIMIT, startAfter, toPage, type Page } from './paging.ts';

const SOURCE = 'catalog';

/** A live client of the organization, or null (missing, deleted or another organization's). */
export function findLiveClient(
  em: EntityManager,
  orgId: string,
  id: string,
  lock = false,
): Promise<ClientRow | null> {
  const options = lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {};
  return em.findOne(ClientEntity, { id, orgId, deletedAt: null }, options);
}

/** The replica shape of a live client, or null; shared by the RPC responder. */
export async function findClientSnapshot(
  orm: MikroORM,
  orgId: string,
  id: string,
): Promise<ClientSnapshot | null> {
  const row = await findLiveClient(orm.em.fork(), orgId, id);
  return row ? toClientSnapshot(row) : null;
}

/** A live client of the organization; 404 otherwise. */
export async function getClient(orm: MikroORM, orgId: string, id: string): Promise<ClientRow> {
  const row = await findLiveClient(orm.em.fork(), orgId, id);
  if (!row) throw notFound();
  return row;
}

/** One page of live clients in id order, optionally filtered by part of the name. */
export async function listClients(
  orm: MikroORM,
  orgId: string,
  query: ClientListQuery,
): Promise<Page<ClientRow>> {
  const limit = query.limit ?? DEFAULT_LIMIT;
  const after = startAfter(query.cursor);
  const rows = await orm.em.fork().find(
    ClientEntity,
    {
      orgId,
      deletedAt: null,
      ...(after ? { id: { $gt: after } } : {}),
      ...(query.q ? { name: { $ilike: containsPattern(query.q) } } : {}),
    },
    { orderBy: { id: 'asc' }, limit: limit + 1 },
  );
  return toPage(rows, limit);
}

/** Creates a client (version 1) and its upserted event. */
export async function createClient(orm: MikroORM, orgId: string, body: ClientCreate): Promise<ClientRow> {
  const fields = normalizeClient(body);
  assertNoFieldErrors(clientFieldErrors(fields));
  return inTransaction(orm, async (em) => {
    const now = new Date();
    const row = em.create(ClientEntity, {
      id: newId(),
      orgId,
      name: fields.name,
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    assignClientFields(row, fields);
    await em.flush();
    await enqueueUpserted(em, row);
    return row;
  });
}

/** Applies a PATCH; a PATCH that changes nothing keeps the version and publishes nothing. */
export async function updateClient(
  orm: MikroORM,
  orgId: string,
  id: string,
  patch: ClientPatch,
  ifMatch: string | undefined,
): Promise<ClientRow> {
  assertNoFieldErrors(clientFieldErrors(patch));
  return inTransaction(orm, async (em) => {
    const row = await findLiveClient(em, orgId, id, true);
    if (!row) throw notFound();
    assertIfMatch(ifMatch, row.version);
    const current = clientFieldsOf(row);
    const next = applyClientPatch(current, patch);
    if (sameJson(current, next)) return row;
    assignClientFields(row, next);
    row.version += 1;
    row.updatedAt = new Date();
    await em.flush();
    await enqueueUpserted(em, row);
    return row;
  });
}

/** Soft-deletes a client (it leaves lists and lookups; invoices keep their snapshots). */
export async function deleteClient(
  orm: MikroORM,
  orgId: string,
  id: string,
  ifMatch: string | undefined,
): Promise<void> {
  await inTransaction(orm, async (em) => {
    const row = await findLiveClient(em, orgId, id, true);
    if (!row) throw notFound();
    assertIfMatch(ifMatch, row.version);
    const now = new Date();
    row.deletedAt = now;
    row.updatedAt = now;
    row.version += 1;
    await em.flush();
    await enqueueEvent(
      em,
      createEnvelope({
        type: Subjects.ClientDeleted,
        source: SOURCE,
        orgId,
        subject: row.id,
        data: { clientId: row.id, version: row.version },
      }),
    );
  });
}

function enqueueUpserted(em: EntityManager, row: ClientRow): Promise<void> {
  const data = { client: toClientSnapshot(row) };
  return enqueueEvent(
    em,
    createEnvelope({
      type: Subjects.ClientUpserted,
      source: SOURCE,
      orgId: row.orgId,
      subject: row.id,
      data,
    }),
  );
}

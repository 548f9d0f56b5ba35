/**
 * The mechanics every catalog resource shares: rows belong to an organization, are soft-deleted
 * and carry a version the application bumps. Reads see live rows only. Each write is one transaction that locks
 * the row, applies the change, bumps the version and writes the event to the outbox, so the event's
 * version is the committed one. A resource plugs in its entity, field mapping and events.
 */
import { createEnvelope, newId } from '@invoice/contracts';
import { inTransaction, type EntityManager, type MikroORM } from '@invoice/platform-db';
import { assertIfMatch, decodeCursor, pageOf, type IfMatch } from '@invoice/platform-http';
import { enqueueEvent } from '@invoice/platform-outbox';
import {
  LockMode,
  type EntityName,
  type FilterQuery,
  type ObjectQuery,
  type QueryOrderMap,
} from '@mikro-orm/core';
import { sameJson } from '../domain/patch.ts';
import { containsPattern } from '../domain/search.ts';
import { notFound } from './errors.ts';
import { DEFAULT_LIMIT, type Page } from './paging.ts';

const SOURCE = 'catalog';

/** The columns every catalog resource row has. */
export interface VersionedRow {
  id: string;
  orgId: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  deletedAt?: Date | null;
}

/** The columns a new row starts with (version 1). */
export type NewRowBase = Pick<VersionedRow, 'id' | 'orgId' | 'version' | 'createdAt' | 'updatedAt'>;

/** An event about one row: its type (subject) and its data. */
export interface RowEvent<Row> {
  type: string;
  /** The event's data; `em` is the write's transaction, for data that needs other rows. */
  data: (row: Row, em: EntityManager) => unknown;
}

/** What one kind of resource contributes to the shared mechanics. */
export interface VersionedResource<Row extends VersionedRow, Fields> {
  /** Singular name (`client`), used in problem details. */
  name: string;
  entity: EntityName<Row>;
  /** Creates the entity from the base columns (fields are assigned right after). */
  create: (em: EntityManager, base: NewRowBase, fields: Fields) => Row;
  fieldsOf: (row: Row) => Fields;
  assignFields: (row: Row, fields: Fields) => void;
  /** The list filter for a `q` search term, already turned into an ILIKE pattern. */
  search: (pattern: string) => ObjectQuery<Row>;
  upserted: RowEvent<Row>;
  deleted: RowEvent<Row>;
  /**
   * Checks the next fields inside the write's transaction, before anything is written (references
   * to other rows, rules that depend on them); throws the refusal.
   */
  validate?: (em: EntityManager, orgId: string, fields: Fields) => Promise<void>;
}

/** Which row a write targets, and the (parsed) `If-Match` header it must satisfy. */
export interface RowTarget {
  orgId: string;
  id: string;
  ifMatch: IfMatch;
}

/** A live row of the organization, or null (missing, deleted or another organization's). */
export function findLive<Row extends VersionedRow, Fields>(
  em: EntityManager,
  resource: VersionedResource<Row, Fields>,
  orgId: string,
  id: string,
  lock = false,
): Promise<Row | null> {
  const options = lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {};
  // Every catalog row has these columns; TypeScript cannot see that through the generic Row.
  const where = { id, orgId, deletedAt: null } as FilterQuery<Row>;
  return em.findOne(resource.entity, where, options);
}

/** A live row of the organization; 404 otherwise. */
export async function getLive<Row extends VersionedRow, Fields>(
  orm: MikroORM,
  resource: VersionedResource<Row, Fields>,
  orgId: string,
  id: string,
): Promise<Row> {
  const row = await findLive(orm.em.fork(), resource, orgId, id);
  if (!row) throw notFound();
  return row;
}

/** One page of live rows in id order, optionally filtered by a search term. */
export async function listLive<Row extends VersionedRow, Fields>(
  orm: MikroORM,
  resource: VersionedResource<Row, Fields>,
  orgId: string,
  query: { limit?: number; cursor?: string; q?: string },
): Promise<Page<Row>> {
  const limit = query.limit ?? DEFAULT_LIMIT;
  // A cursor this API did not issue is 400 naming querystring:/cursor.
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const where = {
    orgId,
    deletedAt: null,
    ...(after ? { id: { $gt: after } } : {}),
    ...(query.q ? resource.search(containsPattern(query.q)) : {}),
  } as FilterQuery<Row>; // the same columns as in findLive
  const orderBy = { id: 'asc' } as QueryOrderMap<Row>;
  const rows = await orm.em.fork().find(resource.entity, where, { orderBy, limit: limit + 1 });
  return pageOf(rows, limit);
}

/** Creates a row (version 1) and its upserted event. */
export function insertVersioned<Row extends VersionedRow, Fields>(
  orm: MikroORM,
  resource: VersionedResource<Row, Fields>,
  orgId: string,
  fields: Fields,
): Promise<Row> {
  return inTransaction(orm, async (em) => {
    const now = new Date();
    await resource.validate?.(em, orgId, fields);
    const base = { id: newId(), orgId, version: 1, createdAt: now, updatedAt: now };
    const row = resource.create(em, base, fields);
    resource.assignFields(row, fields);
    await em.flush();
    await enqueueRowEvent(em, resource.upserted, row);
    return row;
  });
}

/**
 * Changes the fields of a live row (`change` gets the current fields and returns the next ones).
 * A change that changes nothing keeps the version and publishes nothing.
 */
export function updateVersioned<Row extends VersionedRow, Fields>(
  orm: MikroORM,
  resource: VersionedResource<Row, Fields>,
  target: RowTarget,
  change: (current: Fields) => Fields,
): Promise<Row> {
  return inTransaction(orm, async (em) => {
    const row = await lockForWrite(em, resource, target);
    const current = resource.fieldsOf(row);
    const next = change(current);
    if (sameJson(current, next)) return row;
    await resource.validate?.(em, target.orgId, next);
    resource.assignFields(row, next);
    row.version += 1;
    row.updatedAt = new Date();
    await em.flush();
    await enqueueRowEvent(em, resource.upserted, row);
    return row;
  });
}

/**
 * Soft-deletes a live row: it leaves lists and lookups, its version is bumped and announced.
 * Returns the deleted row (its version is the one the deleted event carries).
 */
export function softDeleteVersioned<Row extends VersionedRow, Fields>(
  orm: MikroORM,
  resource: VersionedResource<Row, Fields>,
  target: RowTarget,
): Promise<Row> {
  return inTransaction(orm, async (em) => {
    const row = await lockForWrite(em, resource, target);
    const now = new Date();
    row.deletedAt = now;
    row.updatedAt = now;
    row.version += 1;
    await em.flush();
    await enqueueRowEvent(em, resource.deleted, row);
    return row;
  });
}

/**
 * Archives (or unarchives) a live row: it stays readable by id but leaves the default list. A row
 * already in that state keeps its version and publishes nothing.
 */
export function setArchivedVersioned<Row extends VersionedRow & { archivedAt?: Date | null }, Fields>(
  orm: MikroORM,
  resource: VersionedResource<Row, Fields>,
  target: RowTarget,
  archived: boolean,
): Promise<Row> {
  return inTransaction(orm, async (em) => {
    const row = await lockForWrite(em, resource, target);
    if (Boolean(row.archivedAt) === archived) return row;
    const now = new Date();
    row.archivedAt = archived ? now : null;
    row.updatedAt = now;
    row.version += 1;
    await em.flush();
    await enqueueRowEvent(em, resource.upserted, row);
    return row;
  });
}

/** The live row locked FOR UPDATE; 404 when there is none, 412 when `If-Match` names another version. */
async function lockForWrite<Row extends VersionedRow, Fields>(
  em: EntityManager,
  resource: VersionedResource<Row, Fields>,
  target: RowTarget,
): Promise<Row> {
  const row = await findLive(em, resource, target.orgId, target.id, true);
  if (!row) throw notFound();
  assertIfMatch(target.ifMatch, row.version, { resource: resource.name });
  return row;
}

/** Writes a row's event to the outbox, in the caller's transaction. */
export async function enqueueRowEvent<Row extends VersionedRow>(
  em: EntityManager,
  event: RowEvent<Row>,
  row: Row,
): Promise<void> {
  await enqueueEvent(
    em,
    createEnvelope({
      type: event.type,
      source: SOURCE,
      orgId: row.orgId,
      subject: row.id,
      data: await event.data(row, em),
    }),
  );
}

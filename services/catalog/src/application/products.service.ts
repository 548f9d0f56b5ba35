/**
 * Product use cases. Each write is one transaction that locks the row, applies the change, bumps the
 * version and writes the event to the outbox, so the event's version is the committed one.
 */
import {
  createEnvelope,
  newId,
  Subjects,
  type ProductCreate,
  type ProductListQuery,
  type ProductPatch,
  type ProductSnapshot,
} from '@invoice/contracts';
import { inTransaction, type EntityManager, type MikroORM } from '@invoice/platform-db';
import { enqueueEvent } from '@invoice/platform-outbox';
import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import { ProductEntity, type ProductRow } from '../db/product.entity.ts';
import { sameJson } from '../domain/patch.ts';
import { applyProductPatch, normalizeProduct, productFieldErrors } from '../domain/product.rules.ts';
import { containsPattern } from '../domain/search.ts';
import { assertIfMatch, assertNoFieldErrors, notFound, skuTaken } from './errors.ts';
import { DEFAULT_LIMIT, startAfter, toPage, type Page } from './paging.ts';
import { assignProductFields, productFieldsOf, toProductSnapshot } from './product.mapper.ts';

const SOURCE = 'catalog';
const SKU_INDEX = 'products_org_sku_uniq';

/** A live product of the organization, or null (missing, deleted or another organization's). */
export function findLiveProduct(
  em: EntityManager,
  orgId: string,
  id: string,
  lock = false,
): Promise<ProductRow | null> {
  const options = lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {};
  return em.findOne(ProductEntity, { id, orgId, deletedAt: null }, options);
}

/** The replica shape of a live product, or null; shared by the RPC responder. */
export async function findProductSnapshot(
  orm: MikroORM,
  orgId: string,
  id: string,
): Promise<ProductSnapshot | null> {
  const row = await findLiveProduct(orm.em.fork(), orgId, id);
  return row ? toProductSnapshot(row) : null;
}

/** A live product of the organization; 404 otherwise. */
export async function getProduct(orm: MikroORM, orgId: string, id: string): Promise<ProductRow> {
  const row = await findLiveProduct(orm.em.fork(), orgId, id);
  if (!row) throw notFound();
  return row;
}

/** One page of live products in id order, optionally filtered by part of the name or SKU. */
export async function listProducts(
  orm: MikroORM,
  orgId: string,
  query: ProductListQuery,
): Promise<Page<ProductRow>> {
  const limit = query.limit ?? DEFAULT_LIMIT;
  const after = startAfter(query.cursor);
  const pattern = query.q ? containsPattern(query.q) : undefined;
  const rows = await orm.em.fork().find(
    ProductEntity,
    {
      orgId,
      deletedAt: null,
      ...(after ? { id: { $gt: after } } : {}),
      ...(pattern ? { $or: [{ name: { $ilike: pattern } }, { sku: { $ilike: pattern } }] } : {}),
    },
    { orderBy: { id: 'asc' }, limit: limit + 1 },
  );
  return toPage(rows, limit);
}

/** Creates a product (version 1) and its upserted event; a live product with the SKU → 409 SKU_TAKEN. */
export async function createProduct(orm: MikroORM, orgId: string, body: ProductCreate): Promise<ProductRow> {
  const fields = normalizeProduct(body);
  assertNoFieldErrors(productFieldErrors(fields));
  return skuConflicts(() =>
    inTransaction(orm, async (em) => {
      const now = new Date();
      const row = em.create(ProductEntity, {
        id: newId(),
        orgId,
        ...fields,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      assignProductFields(row, fields);
      await em.flush();
      await enqueueUpserted(em, row);
      return row;
    }),
  );
}

/** Applies a PATCH; a PATCH that changes nothing keeps the version and publishes nothing. */
export async function updateProduct(
  orm: MikroORM,
  orgId: string,
  id: string,
  patch: ProductPatch,
  ifMatch: string | undefined,
): Promise<ProductRow> {
  assertNoFieldErrors(productFieldErrors(patch));
  return skuConflicts(() =>
    inTransaction(orm, async (em) => {
      const row = await findLiveProduct(em, orgId, id, true);
      if (!row) throw notFound();
      assertIfMatch(ifMatch, row.version);
      const current = productFieldsOf(row);
      const next = applyProductPatch(current, patch);
      if (sameJson(current, next)) return row;
      assignProductFields(row, next);
      row.version += 1;
      row.updatedAt = new Date();
      await em.flush();
      await enqueueUpserted(em, row);
      return row;
    }),
  );
}

/** Soft-deletes a product (its SKU becomes free; invoices keep their snapshots). */
export async function deleteProduct(
  orm: MikroORM,
  orgId: string,
  id: string,
  ifMatch: string | undefined,
): Promise<void> {
  await inTransaction(orm, async (em) => {
    const row = await findLiveProduct(em, orgId, id, true);
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
        type: Subjects.ProductDeleted,
        source: SOURCE,
        orgId,
        subject: row.id,
        data: { productId: row.id, version: row.version },
      }),
    );
  });
}

function enqueueUpserted(em: EntityManager, row: ProductRow): Promise<void> {
  const data = { product: toProductSnapshot(row) };
  return enqueueEvent(
    em,
    createEnvelope({
      type: Subjects.ProductUpserted,
      source: SOURCE,
      orgId: row.orgId,
      subject: row.id,
      data,
    }),
  );
}

/** The unique index decides, so two concurrent writers of one SKU cannot both win. */
async function skuConflicts<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException && error.message.includes(SKU_INDEX)) {
      throw skuTaken();
    }
    throw error;
  }
}

/** Product use cases: the shared versioned-resource mechanics configured for products, plus SKU uniqueness. */
import {
  Subjects,
  type ProductCreate,
  type ProductListQuery,
  type ProductPatch,
  type ProductSnapshot,
} from '@invoice/contracts';
import type { MikroORM } from '@invoice/platform-db';
import type { IfMatch } from '@invoice/platform-http';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { ProductEntity, type ProductRow } from '../db/product.entity.ts';
import { applyProductPatch, normalizeProduct, type ProductFields } from '../domain/product.rules.ts';
import { skuTaken } from './errors.ts';
import type { Page } from './paging.ts';
import { assignProductFields, productFieldsOf, toProductSnapshot } from './product.mapper.ts';
import {
  findLive,
  getLive,
  insertVersioned,
  listLive,
  softDeleteVersioned,
  updateVersioned,
  type VersionedResource,
} from './versioned-resource.ts';

const SKU_INDEX = 'products_org_sku_uniq';

const products: VersionedResource<ProductRow, ProductFields> = {
  name: 'product',
  entity: ProductEntity,
  create: (em, base, fields) => em.create(ProductEntity, { ...base, ...fields }),
  fieldsOf: productFieldsOf,
  assignFields: assignProductFields,
  search: (pattern) => ({ $or: [{ name: { $ilike: pattern } }, { sku: { $ilike: pattern } }] }),
  upserted: { type: Subjects.ProductUpserted, data: (row) => ({ product: toProductSnapshot(row) }) },
  deleted: { type: Subjects.ProductDeleted, data: (row) => ({ productId: row.id, version: row.version }) },
};

/** The replica shape of a live product, or null; shared by the RPC responder. */
export async function findProductSnapshot(
  orm: MikroORM,
  orgId: string,
  id: string,
): Promise<ProductSnapshot | null> {
  const row = await findLive(orm.em.fork(), products, orgId, id);
  return row ? toProductSnapshot(row) : null;
}

/** A live product of the organization; 404 otherwise. */
export async function getProduct(orm: MikroORM, orgId: string, id: string): Promise<ProductRow> {
  return getLive(orm, products, orgId, id);
}

/** One page of live products in id order, optionally filtered by part of the name or SKU. */
export async function listProducts(
  orm: MikroORM,
  orgId: string,
  query: ProductListQuery,
): Promise<Page<ProductRow>> {
  return listLive(orm, products, orgId, query);
}

/** Creates a product (version 1) and its upserted event; a live product with the SKU → 409 SKU_TAKEN. */
export async function createProduct(orm: MikroORM, orgId: string, body: ProductCreate): Promise<ProductRow> {
  const fields = normalizeProduct(body);
  return skuConflicts(() => insertVersioned(orm, products, orgId, fields));
}

/** Applies a PATCH; a PATCH that changes nothing keeps the version and publishes nothing. */
export async function updateProduct(
  orm: MikroORM,
  orgId: string,
  id: string,
  patch: ProductPatch,
  ifMatch: IfMatch,
): Promise<ProductRow> {
  return skuConflicts(() =>
    updateVersioned(orm, products, { orgId, id, ifMatch }, (current) => applyProductPatch(current, patch)),
  );
}

/** Soft-deletes a product (its SKU becomes free; invoices keep their snapshots); returns the deleted row. */
export async function deleteProduct(
  orm: MikroORM,
  orgId: string,
  id: string,
  ifMatch: IfMatch,
): Promise<ProductRow> {
  return softDeleteVersioned(orm, products, { orgId, id, ifMatch });
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

/** Product use cases: the shared versioned-resource mechanics configured for products, plus SKU uniqueness. */
import {
  AppError,
  Subjects,
  type ProductCreate,
  type ProductListQuery,
  type ProductPatch,
  type ProductSnapshot,
} from '@invoice/contracts';
import type { EntityManager, MikroORM } from '@invoice/platform-db';
import type { IfMatch } from '@invoice/platform-http';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { ProductEntity, type ProductRow } from '../db/product.entity.ts';
import { applyProductPatch, normalizeProduct, type ProductFields } from '../domain/product.rules.ts';
import { checkAttributes } from '../domain/attributes.ts';
import { definitionsForProduct, productSnapshotIn } from './categories.service.ts';
import { skuTaken } from './errors.ts';
import { DEFAULT_LIMIT, type Page } from './paging.ts';
import { afterCursor, encodeProductCursor, productOrder, productWhere } from './product-query.ts';
import { assignProductFields, productFieldsOf } from './product.mapper.ts';
import {
  findLive,
  getLive,
  insertVersioned,
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
  upserted: {
    type: Subjects.ProductUpserted,
    data: async (row, em) => ({ product: await productSnapshotIn(em, row) }),
  },
  deleted: { type: Subjects.ProductDeleted, data: (row) => ({ productId: row.id, version: row.version }) },
  validate: (em, orgId, fields) => validateProductFields(em, orgId, fields),
};

/**
 * A product in a category: the category is a live one of the organization (404 naming
 * `/categoryId` otherwise) and the attributes satisfy its definitions, inherited ones included
 * (400 ATTRIBUTE_INVALID naming each `/attributes/<key>`). Uncategorized products keep free attributes.
 */
export async function validateProductFields(
  em: EntityManager,
  orgId: string,
  fields: ProductFields,
  prefix = '',
): Promise<void> {
  if (!fields.categoryId) return;
  const definitions = await definitionsForProduct(em, orgId, fields.categoryId, `${prefix}/categoryId`);
  const errors = checkAttributes(fields.attributes, definitions, `${prefix}/attributes`);
  if (errors.length > 0) {
    throw new AppError('ATTRIBUTE_INVALID', { detail: `${errors[0]!.field} ${errors[0]!.message}`, errors });
  }
}

/** The replica shape of a live product, or null; shared by the RPC responder. */
export async function findProductSnapshot(
  orm: MikroORM,
  orgId: string,
  id: string,
): Promise<ProductSnapshot | null> {
  const em = orm.em.fork();
  const row = await findLive(em, products, orgId, id);
  return row ? productSnapshotIn(em, row) : null;
}

/** A live product of the organization; 404 otherwise. */
export async function getProduct(orm: MikroORM, orgId: string, id: string): Promise<ProductRow> {
  return getLive(orm, products, orgId, id);
}

/** One page of live products matching the list filters, in the requested order (keyset cursor). */
export async function listProducts(
  orm: MikroORM,
  orgId: string,
  query: ProductListQuery,
): Promise<Page<ProductRow>> {
  const em = orm.em.fork();
  const limit = query.limit ?? DEFAULT_LIMIT;
  const where = await productWhere(em, orgId, query);
  const after = query.cursor === undefined ? undefined : afterCursor(query.cursor, query.sort);
  const rows = await em.find(ProductEntity, after ? { $and: [where, after] } : where, {
    orderBy: productOrder(query.sort),
    limit: limit + 1,
  });
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeProductCursor(last, query.sort) : null };
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
export async function skuConflicts<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException && error.message.includes(SKU_INDEX)) {
      throw skuTaken();
    }
    throw error;
  }
}

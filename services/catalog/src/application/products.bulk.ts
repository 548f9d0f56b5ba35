/**
 * Bulk product writes: many changes (`PATCH /v1/products`) or one action (archive, unarchive,
 * delete) over up to 1,000 products, each in one transaction and all or nothing. Every failing item
 * is reported (`errors[].field` under `/items/<i>` or `/ids/<i>`); an id that is not a live product
 * of the organization makes the whole request 404, as for a single product.
 */
import {
  AppError,
  Subjects,
  type AttributeDefinition,
  type FieldError,
  type ProductBulkPatch,
} from '@invoice/contracts';
import { inTransaction, type EntityManager, type MikroORM } from '@invoice/platform-db';
import { LockMode } from '@mikro-orm/core';
import { CategoryEntity } from '../db/category.entity.ts';
import { ProductEntity, type ProductRow } from '../db/product.entity.ts';
import { checkAttributes } from '../domain/attributes.ts';
import { applyProductPatch } from '../domain/product.rules.ts';
import { sameJson } from '../domain/patch.ts';
import { loadTree, productSnapshotIn } from './categories.service.ts';
import { skuConflicts } from './products.service.ts';
import { assignProductFields, productFieldsOf } from './product.mapper.ts';
import { enqueueRowEvent, type RowEvent } from './versioned-resource.ts';

const upserted: RowEvent<ProductRow> = {
  type: Subjects.ProductUpserted,
  data: async (row, em) => ({ product: await productSnapshotIn(em, row) }),
};
const deleted: RowEvent<ProductRow> = {
  type: Subjects.ProductDeleted,
  data: (row) => ({ productId: row.id, version: row.version }),
};

/** A bulk action over products. */
export type BulkAction = 'archive' | 'unarchive' | 'delete';

/** Applies every change or none; answers the products after the change, in request order. */
export function bulkUpdateProducts(
  orm: MikroORM,
  orgId: string,
  body: ProductBulkPatch,
): Promise<ProductRow[]> {
  return skuConflicts(() =>
    inTransaction(orm, async (em) => {
      const ids = body.items.map((item) => item.id);
      const rows = await lockProducts(em, orgId, ids, (i) => `/items/${i}/id`);
      const errors: FieldError[] = [];
      const changed: { index: number; row: ProductRow; next: ReturnType<typeof applyProductPatch> }[] = [];
      body.items.forEach((item, index) => {
        const { id: _id, ...patch } = item;
        const row = rows[index]!;
        const current = productFieldsOf(row);
        const next = applyProductPatch(current, patch);
        if (!sameJson(current, next)) changed.push({ index, row, next });
      });

      // Categories: one FOR SHARE lock of every referenced category, one tree for the definitions.
      const categoryIds = [
        ...new Set(changed.map((c) => c.next.categoryId).filter((id) => id !== undefined)),
      ];
      const live = new Set(
        categoryIds.length === 0
          ? []
          : (
              await em.find(
                CategoryEntity,
                { id: { $in: categoryIds }, orgId, deletedAt: null },
                { lockMode: LockMode.PESSIMISTIC_READ, fields: ['id'] },
              )
            ).map((c) => c.id),
      );
      const tree = categoryIds.length === 0 ? undefined : await loadTree(em, orgId);
      const definitions = new Map<string, AttributeDefinition[]>();
      const notFound: FieldError[] = [];
      for (const { index, next } of changed) {
        if (!next.categoryId) continue;
        if (!live.has(next.categoryId)) {
          notFound.push({
            field: `/items/${index}/categoryId`,
            message: 'is not a category of this organization',
          });
          continue;
        }
        let applying = definitions.get(next.categoryId);
        if (!applying) {
          applying = tree!.effective(next.categoryId);
          definitions.set(next.categoryId, applying);
        }
        errors.push(...checkAttributes(next.attributes, applying, `/items/${index}/attributes`));
      }
      if (notFound.length > 0)
        throw new AppError('NOT_FOUND', { detail: notFound[0]!.message, errors: notFound });

      // SKUs: unique among live products, the batch's new values included.
      const skuOwner = new Map<string, number>();
      const changedIndexes = new Set(changed.map((c) => c.index));
      const nextByIndex = new Map(changed.map((c) => [c.index, c.next]));
      rows.forEach((row, index) => {
        const sku = nextByIndex.has(index) ? nextByIndex.get(index)!.sku : (row.sku ?? undefined);
        if (!sku) return;
        const first = skuOwner.get(sku);
        if (first === undefined) skuOwner.set(sku, index);
        else {
          const culprit = changedIndexes.has(index) ? index : first;
          const other = culprit === index ? first : index;
          errors.push({
            field: `/items/${culprit}/sku`,
            message: `is also the SKU of item ${other}`,
            code: 'SKU_TAKEN',
          });
        }
      });
      if (skuOwner.size > 0) {
        const holders = await em.find(
          ProductEntity,
          { orgId, deletedAt: null, sku: { $in: [...skuOwner.keys()] }, id: { $nin: ids } },
          { fields: ['id', 'sku'] },
        );
        for (const holder of holders) {
          errors.push({
            field: `/items/${skuOwner.get(holder.sku!)}/sku`,
            message: 'is already used by another product',
            code: 'SKU_TAKEN',
          });
        }
      }
      if (errors.length > 0) {
        const code = errors.every((e) => e.code === 'SKU_TAKEN') ? 'SKU_TAKEN' : 'VALIDATION_FAILED';
        throw new AppError(code, {
          detail: `${errors.length} problem(s) in the request; nothing was changed`,
          errors,
        });
      }

      const now = new Date();
      for (const { row, next } of changed) {
        assignProductFields(row, next);
        row.version += 1;
        row.updatedAt = now;
      }
      await em.flush();
      for (const { row } of changed) await enqueueRowEvent(em, upserted, row);
      return rows;
    }),
  );
}

/**
 * Archives, unarchives or deletes every product of `ids`, or none. A product already in the wanted
 * state keeps its version; every changed one gets its event.
 */
export function bulkProductAction(
  orm: MikroORM,
  orgId: string,
  ids: string[],
  action: BulkAction,
  fieldOf: (index: number) => string = (index) => `/ids/${index}`,
): Promise<ProductRow[]> {
  return inTransaction(orm, async (em) => {
    const rows = await lockProducts(em, orgId, ids, fieldOf);
    const now = new Date();
    const changed = rows.filter((row) => {
      if (action === 'archive' && !row.archivedAt) row.archivedAt = now;
      else if (action === 'unarchive' && row.archivedAt) row.archivedAt = null;
      else if (action === 'delete') row.deletedAt = now;
      else return false;
      row.version += 1;
      row.updatedAt = now;
      return true;
    });
    await em.flush();
    for (const row of changed) await enqueueRowEvent(em, action === 'delete' ? deleted : upserted, row);
    return rows;
  });
}

/** The live products of `ids`, locked FOR UPDATE, in the order of `ids`; 404 naming each missing one. */
async function lockProducts(
  em: EntityManager,
  orgId: string,
  ids: string[],
  fieldOf: (index: number) => string,
): Promise<ProductRow[]> {
  const errors: FieldError[] = [];
  const seen = new Map<string, number>();
  ids.forEach((id, index) => {
    const first = seen.get(id);
    if (first !== undefined) errors.push({ field: fieldOf(index), message: `repeats item ${first}` });
    else seen.set(id, index);
  });
  if (errors.length > 0) throw new AppError('VALIDATION_FAILED', { detail: errors[0]!.message, errors });
  const found = await em.find(
    ProductEntity,
    { id: { $in: ids }, orgId, deletedAt: null },
    { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } },
  );
  const byId = new Map(found.map((row) => [row.id, row]));
  const missing = ids.flatMap((id, index) =>
    byId.has(id) ? [] : [{ field: fieldOf(index), message: 'is not a product of this organization' }],
  );
  if (missing.length > 0) {
    throw new AppError('NOT_FOUND', { detail: `${missing.length} product(s) do not exist`, errors: missing });
  }
  return ids.map((id) => byId.get(id)!);
}

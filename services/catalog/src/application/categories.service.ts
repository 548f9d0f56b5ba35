/**
 * Category use cases: the tree (create with children, rename, reorder, move without cycles, delete
 * that says where products and subcategories go) and the attribute definitions products follow.
 *
 * Every structural write first takes the organization's category lock (a transaction-scoped advisory
 * lock), so two concurrent moves cannot build a cycle between them. Product writes lock their
 * category FOR SHARE, so a product never lands in a category that is being deleted.
 *
 * A definition change (or a move that changes what a category inherits) is checked against the
 * live products it affects: when any of them would no longer satisfy the definitions, the change is
 * refused (409 ATTRIBUTE_DEFINITION_CONFLICT naming each failing attribute and how many products
 * fail it), so existing products are never silently left invalid. Removing a definition keeps the
 * values on the products as free attributes.
 */
import {
  AppError,
  createEnvelope,
  newId,
  Subjects,
  type AttributeDefinition,
  type Category,
  type CategoryCreate,
  type CategoryDeleteQuery,
  type CategoryNodeCreate,
  type CategoryPatch,
  type CategorySnapshot,
  type ProductSnapshot,
  type CategoryTreeNode,
  type FieldError,
} from '@invoice/contracts';
import { inTransaction, qualified, type EntityManager, type MikroORM } from '@invoice/platform-db';
import { assertIfMatch, type IfMatch } from '@invoice/platform-http';
import { enqueueEvent } from '@invoice/platform-outbox';
import { LockMode } from '@mikro-orm/core';
import { CategoryEntity, type CategoryRow } from '../db/category.entity.ts';
import { ProductEntity, type ProductRow } from '../db/product.entity.ts';
import { checkAttributes, checkDefinitions, normalizeDefinition } from '../domain/attributes.ts';
import { CategoryTree } from '../domain/category-tree.ts';
import { notFound } from './errors.ts';
import { toProductSnapshot } from './product.mapper.ts';

const SOURCE = 'catalog';

/** The live categories of an organization as a tree. */
export async function loadTree(em: EntityManager, orgId: string): Promise<CategoryTree<CategoryRow>> {
  const rows = await em.find(CategoryEntity, { orgId, deletedAt: null });
  return new CategoryTree(rows);
}

const treesOfTransaction = new WeakMap<EntityManager, Promise<CategoryTree<CategoryRow>>>();

/**
 * The product's replica shape with its invoice-visible attributes, inside a write's transaction
 * (the category tree is read once per transaction, so a bulk write of 1,000 products reads it once).
 */
export async function productSnapshotIn(em: EntityManager, row: ProductRow): Promise<ProductSnapshot> {
  if (!row.categoryId) return toProductSnapshot(row);
  let tree = treesOfTransaction.get(em);
  if (!tree) {
    tree = loadTree(em, row.orgId);
    treesOfTransaction.set(em, tree);
  }
  return toProductSnapshot(row, (await tree).effective(row.categoryId));
}

/** The category as the API returns it (`tree` gives its inherited definitions). */
export function toCategory(row: CategoryRow, tree: CategoryTree<CategoryRow>): Category {
  return {
    id: row.id,
    ...(row.parentId ? { parentId: row.parentId } : {}),
    name: row.name,
    ...(row.description ? { description: row.description } : {}),
    position: row.position,
    attributes: row.attributes,
    inheritedAttributes: tree.inherited(row.id),
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The category with its subtree nested under `children`. */
export function toCategoryTreeNode(row: CategoryRow, tree: CategoryTree<CategoryRow>): CategoryTreeNode {
  return {
    ...toCategory(row, tree),
    children: tree.children(row.id).map((child) => toCategoryTreeNode(child, tree)),
  };
}

/** The category as other services replicate it. */
export function toCategorySnapshot(row: CategoryRow): CategorySnapshot {
  return {
    id: row.id,
    ...(row.parentId ? { parentId: row.parentId } : {}),
    name: row.name,
    ...(row.description ? { description: row.description } : {}),
    position: row.position,
    attributes: row.attributes,
    version: row.version,
  };
}

/** Every live category of the organization, as a tree (roots with children) or flat (parents first). */
export async function listCategories(
  orm: MikroORM,
  orgId: string,
  view: 'tree' | 'flat',
): Promise<(Category | CategoryTreeNode)[]> {
  const tree = await loadTree(orm.em.fork(), orgId);
  if (view === 'flat') return tree.flat().map((row) => toCategory(row, tree));
  return tree.children(null).map((row) => toCategoryTreeNode(row, tree));
}

/** A live category of the organization with its subtree; 404 otherwise. */
export async function getCategory(
  orm: MikroORM,
  orgId: string,
  id: string,
): Promise<{ row: CategoryRow; tree: CategoryTree<CategoryRow> }> {
  const tree = await loadTree(orm.em.fork(), orgId);
  const row = tree.get(id);
  if (!row) throw notFound();
  return { row, tree };
}

/** Creates a category and its children in one transaction; each gets its upserted event. */
export function createCategory(
  orm: MikroORM,
  orgId: string,
  body: CategoryCreate,
): Promise<{ row: CategoryRow; tree: CategoryTree<CategoryRow> }> {
  return inTransaction(orm, async (em) => {
    await lockStructure(em, orgId);
    const tree = await loadTree(em, orgId);
    const parentId = body.parentId ?? null;
    if (parentId && !tree.get(parentId)) throw referenceNotFound('/parentId', 'category');
    const inherited = new Set(parentId ? tree.effective(parentId).map((d) => d.key) : []);
    const errors = checkNode(body, inherited, '');
    if (errors.length > 0) throw invalid(errors);
    const now = new Date();
    const created: CategoryRow[] = [];
    const insert = (node: CategoryNodeCreate, parent: string | null): CategoryRow => {
      const row = em.create(CategoryEntity, {
        id: newId(),
        orgId,
        parentId: parent,
        name: node.name.trim(),
        description: node.description ?? null,
        position: node.position ?? 0,
        attributes: (node.attributes ?? []).map(normalizeDefinition),
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      created.push(row);
      tree.add(row);
      for (const child of node.children ?? []) insert(child, row.id);
      return row;
    };
    const root = insert(body, parentId);
    await em.flush();
    for (const row of created) await enqueueCategoryUpserted(em, row);
    return { row: root, tree };
  });
}

/**
 * Renames, describes, reorders, moves (`parentId`) or redefines a category. A move under itself or
 * a descendant is 409 CATEGORY_CYCLE; a change existing products would fail is 409
 * ATTRIBUTE_DEFINITION_CONFLICT. A change that changes nothing keeps the version.
 */
export function updateCategory(
  orm: MikroORM,
  orgId: string,
  id: string,
  patch: CategoryPatch,
  ifMatch: IfMatch,
): Promise<{ row: CategoryRow; tree: CategoryTree<CategoryRow> }> {
  return inTransaction(orm, async (em) => {
    await lockStructure(em, orgId);
    const tree = await loadTree(em, orgId);
    const row = tree.get(id);
    if (!row) throw notFound();
    assertIfMatch(ifMatch, row.version, { resource: 'category' });
    const before = JSON.stringify(toCategorySnapshot(row));
    const moves = patch.parentId !== undefined && (patch.parentId ?? null) !== (row.parentId ?? null);
    const redefines = patch.attributes !== undefined;
    if (moves) {
      const parentId = patch.parentId ?? null;
      if (parentId && !tree.get(parentId)) throw referenceNotFound('/parentId', 'category');
      if (parentId && tree.isSelfOrDescendant(id, parentId)) {
        throw AppError.field(
          'CATEGORY_CYCLE',
          '/parentId',
          'is the category itself or one of its subcategories',
        );
      }
      row.parentId = parentId;
      tree.reindex();
    }
    if (patch.name !== undefined) row.name = patch.name.trim();
    if (patch.description !== undefined) row.description = patch.description;
    if (patch.position !== undefined) row.position = patch.position;
    if (redefines) row.attributes = (patch.attributes ?? []).map(normalizeDefinition);
    if (JSON.stringify(toCategorySnapshot(row)) === before) return { row, tree };
    if (moves || redefines) {
      const definitionErrors = checkSubtreeDefinitions(tree, id, redefines ? '/attributes' : '/parentId');
      if (definitionErrors.length > 0) throw invalid(definitionErrors);
      await assertProductsStillValid(em, orgId, tree, tree.subtree(id), (key) =>
        redefines && row.attributes.some((d) => d.key === key)
          ? `/attributes/${row.attributes.findIndex((d) => d.key === key)}`
          : moves
            ? '/parentId'
            : '/attributes',
      );
    }
    if (patch.position !== undefined || patch.name !== undefined) tree.reindex();
    row.version += 1;
    row.updatedAt = new Date();
    await em.flush();
    await enqueueCategoryUpserted(em, row);
    return { row, tree };
  });
}

/**
 * Deletes a category. Its live products move to `productsTo` (a category, or `uncategorized`) and
 * its subcategories to `childrenTo` (a category, or `root`); when it has any and the request does
 * not say where they go, 409 CATEGORY_NOT_EMPTY. Moved products are checked against their new
 * category's definitions. Every moved row gets its event, then the category its deleted event.
 */
export function deleteCategory(
  orm: MikroORM,
  orgId: string,
  id: string,
  query: CategoryDeleteQuery,
  ifMatch: IfMatch,
): Promise<CategoryRow> {
  return inTransaction(orm, async (em) => {
    await lockStructure(em, orgId);
    const tree = await loadTree(em, orgId);
    const row = tree.get(id);
    if (!row) throw notFound();
    await em.findOne(CategoryEntity, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    assertIfMatch(ifMatch, row.version, { resource: 'category' });
    const children = tree.children(id);
    const products = await em.find(ProductEntity, { orgId, categoryId: id, deletedAt: null });
    const missing: FieldError[] = [];
    if (children.length > 0 && !query.childrenTo) {
      missing.push({
        field: 'querystring:/childrenTo',
        message: `the category has ${children.length} subcategories: give a category id or "root"`,
      });
    }
    if (products.length > 0 && !query.productsTo) {
      missing.push({
        field: 'querystring:/productsTo',
        message: `the category has ${products.length} products: give a category id or "uncategorized"`,
      });
    }
    if (missing.length > 0) {
      throw new AppError('CATEGORY_NOT_EMPTY', {
        detail: missing.map((m) => m.message).join('; '),
        errors: missing,
      });
    }
    const now = new Date();
    if (children.length > 0) {
      const target = query.childrenTo === 'root' ? null : (query.childrenTo ?? null);
      if (target && !tree.get(target)) throw referenceNotFound('querystring:/childrenTo', 'category');
      if (target && tree.isSelfOrDescendant(id, target)) {
        throw AppError.field(
          'CATEGORY_CYCLE',
          'querystring:/childrenTo',
          'is the deleted category or one of its subcategories',
        );
      }
      for (const child of children) child.parentId = target;
      tree.remove(id);
      for (const child of children) {
        const errors = checkSubtreeDefinitions(tree, child.id, 'querystring:/childrenTo');
        if (errors.length > 0) throw invalid(errors);
        await assertProductsStillValid(
          em,
          orgId,
          tree,
          tree.subtree(child.id),
          () => 'querystring:/childrenTo',
        );
        child.version += 1;
        child.updatedAt = now;
      }
    }
    const movedProducts: ProductRow[] = [];
    if (products.length > 0) {
      const target = query.productsTo === 'uncategorized' ? null : (query.productsTo ?? null);
      if (target === id) {
        throw AppError.field('VALIDATION_FAILED', 'querystring:/productsTo', 'is the deleted category');
      }
      if (target && !tree.get(target)) throw referenceNotFound('querystring:/productsTo', 'category');
      const definitions = target ? tree.effective(target) : [];
      const failures = countFailures(products, () => definitions);
      if (failures.size > 0) throw definitionConflict(failures, () => 'querystring:/productsTo');
      for (const product of products) {
        product.categoryId = target;
        product.version += 1;
        product.updatedAt = now;
        movedProducts.push(product);
      }
    }
    row.deletedAt = now;
    row.updatedAt = now;
    row.version += 1;
    await em.flush();
    for (const child of children) await enqueueCategoryUpserted(em, child);
    for (const product of movedProducts) {
      await enqueue(em, Subjects.ProductUpserted, product.orgId, product.id, {
        product: toProductSnapshot(product, product.categoryId ? tree.effective(product.categoryId) : []),
      });
    }
    await enqueue(em, Subjects.CategoryDeleted, orgId, row.id, { categoryId: row.id, version: row.version });
    return row;
  });
}

/**
 * The definitions that apply to products of a live category, with the category locked FOR SHARE
 * until the caller's transaction ends (so it cannot be deleted under a product being written).
 * Another organization's, a deleted or a missing category is 404 naming `field`.
 */
export async function definitionsForProduct(
  em: EntityManager,
  orgId: string,
  categoryId: string,
  field = '/categoryId',
): Promise<AttributeDefinition[]> {
  const locked = await em.findOne(
    CategoryEntity,
    { id: categoryId, orgId, deletedAt: null },
    { lockMode: LockMode.PESSIMISTIC_READ },
  );
  if (!locked) throw referenceNotFound(field, 'category');
  const tree = await loadTree(em, orgId);
  return tree.effective(categoryId);
}

/** Every category below `id` (and `id` itself), for filters "with descendants". */
export async function subtreeIds(orm: MikroORM, orgId: string, id: string): Promise<string[]> {
  const tree = await loadTree(orm.em.fork(), orgId);
  if (!tree.get(id)) throw referenceNotFound('querystring:/categoryId', 'category');
  return tree.subtree(id).map((row) => row.id);
}

function checkNode(node: CategoryNodeCreate, inherited: ReadonlySet<string>, prefix: string): FieldError[] {
  const own = node.attributes ?? [];
  const errors = checkDefinitions(own, inherited, `${prefix}/attributes`);
  const below = new Set([...inherited, ...own.map((d) => d.key)]);
  (node.children ?? []).forEach((child, index) => {
    errors.push(...checkNode(child, below, `${prefix}/children/${index}`));
  });
  return errors;
}

/** Key conflicts in the subtree of `id` with what it now inherits, reported on `field`. */
function checkSubtreeDefinitions(tree: CategoryTree<CategoryRow>, id: string, field: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const category of tree.subtree(id)) {
    const inherited = new Set(tree.inherited(category.id).map((d) => d.key));
    for (const error of checkDefinitions(category.attributes, inherited)) {
      const where = category.id === id ? 'this category' : `subcategory "${category.name}"`;
      const message = `${where}: attribute ${error.field.replace('/attributes/', '#')} ${error.message}`;
      errors.push({ field: category.id === id && field === '/attributes' ? error.field : field, message });
    }
  }
  return errors;
}

/** Refuses the change when live products of `categories` fail the definitions now in `tree`. */
async function assertProductsStillValid(
  em: EntityManager,
  orgId: string,
  tree: CategoryTree<CategoryRow>,
  categories: CategoryRow[],
  fieldFor: (key: string) => string,
): Promise<void> {
  const ids = categories.map((c) => c.id);
  if (ids.length === 0) return;
  const products = await em.find(
    ProductEntity,
    { orgId, categoryId: { $in: ids }, deletedAt: null },
    { fields: ['id', 'categoryId', 'attributes'] },
  );
  const definitions = new Map(ids.map((id) => [id, tree.effective(id)]));
  const failures = countFailures(products, (product) => definitions.get(product.categoryId ?? '') ?? []);
  if (failures.size > 0) throw definitionConflict(failures, fieldFor);
}

/** For each failing attribute key: how many products fail it and one message. */
function countFailures(
  products: Pick<ProductRow, 'attributes' | 'categoryId'>[],
  definitionsOf: (product: Pick<ProductRow, 'attributes' | 'categoryId'>) => AttributeDefinition[],
): Map<string, { count: number; message: string }> {
  const failures = new Map<string, { count: number; message: string }>();
  for (const product of products) {
    for (const error of checkAttributes(product.attributes, definitionsOf(product), '')) {
      const key = error.field.slice(1);
      const entry = failures.get(key) ?? { count: 0, message: error.message };
      entry.count += 1;
      failures.set(key, entry);
    }
  }
  return failures;
}

function definitionConflict(
  failures: Map<string, { count: number; message: string }>,
  fieldFor: (key: string) => string,
): AppError {
  const errors = [...failures].map(([key, { count, message }]) => ({
    field: fieldFor(key),
    message: `${count} existing product(s) would fail attribute "${key}": ${message}`,
    code: 'ATTRIBUTE_DEFINITION_CONFLICT' as const,
  }));
  return new AppError('ATTRIBUTE_DEFINITION_CONFLICT', {
    detail: errors.map((e) => e.message).join('; '),
    errors,
  });
}

function invalid(errors: FieldError[]): AppError {
  return new AppError('VALIDATION_FAILED', { detail: errors[0]?.message, errors });
}

/** A referenced row that is missing, deleted or another organization's: 404 naming the field. */
function referenceNotFound(field: string, what: string): AppError {
  return new AppError('NOT_FOUND', {
    detail: `The ${what} does not exist`,
    errors: [{ field, message: `is not a ${what} of this organization` }],
  });
}

async function lockStructure(em: EntityManager, orgId: string): Promise<void> {
  await em.execute('select pg_advisory_xact_lock(hashtext(?))', [`${qualified(em, 'categories')}:${orgId}`]);
}

function enqueueCategoryUpserted(em: EntityManager, row: CategoryRow): Promise<void> {
  return enqueue(em, Subjects.CategoryUpserted, row.orgId, row.id, { category: toCategorySnapshot(row) });
}

function enqueue(
  em: EntityManager,
  type: string,
  orgId: string,
  subject: string,
  data: unknown,
): Promise<void> {
  return enqueueEvent(em, createEnvelope({ type, source: SOURCE, orgId, subject, data }));
}

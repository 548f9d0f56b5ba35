/**
 * `/v1/categories`: the category tree and its attribute definitions. List (tree or flat) and get
 * need any member; create (Idempotency-Key), change (move, rename, reorder, redefine) and delete
 * (If-Match) need category_management or admin, checked before the body is validated.
 */
import {
  CatalogIdParamsSchema,
  CategoryCreateSchema,
  CategoryDeleteQuerySchema,
  CategoryListQuerySchema,
  CategoryListSchema,
  CategoryPatchSchema,
  CategorySchema,
  CategoryTreeNodeSchema,
  type CategoryCreate,
} from '@invoice/contracts';
import type { MikroORM } from '@invoice/platform-db';
import {
  etagFor,
  getAuth,
  IdempotencyHeadersSchema,
  IfMatchHeaderSchema,
  parseIfMatch,
  ProblemRef,
  requireAuth,
  requirePermission,
  type JwtVerifier,
  type RoutePlugin,
} from '@invoice/platform-http';
import type { preHandlerAsyncHookHandler } from 'fastify';
import {
  createCategory,
  deleteCategory,
  getCategory,
  listCategories,
  toCategory,
  toCategoryTreeNode,
  updateCategory,
} from '../application/categories.service.ts';
import { authProblems, bearer, NoContentSchema } from './route-schemas.ts';

/** What the category routes need. */
export interface CategoryRoutesDeps {
  orm: MikroORM;
  verifier: JwtVerifier;
  /** Idempotency-Key handling for the create route (from registerIdempotency). */
  idempotent: preHandlerAsyncHookHandler;
}

const tags = ['categories'];
const managers = requirePermission('category_management');

/** The category routes (mount with prefix `/v1/categories`). */
export function categoriesRoutes(deps: CategoryRoutesDeps): RoutePlugin {
  const { orm } = deps;
  return async (app) => {
    app.addHook('onRequest', requireAuth(deps.verifier));

    app.get(
      '/',
      {
        schema: {
          tags,
          summary: 'List categories',
          description:
            'Every live category: `view=tree` (default) nests `children` under the roots; `view=flat` lists ' +
            'parents before children, each with `parentId`. Siblings are ordered by position, then name.',
          security: bearer,
          querystring: CategoryListQuerySchema,
          response: { 200: CategoryListSchema, ...authProblems },
        },
      },
      async (request) => {
        const items = await listCategories(orm, getAuth(request).orgId, request.query.view ?? 'tree');
        return { items };
      },
    );

    app.post(
      '/',
      {
        preValidation: managers,
        preHandler: deps.idempotent,
        schema: {
          tags,
          summary: 'Create a category',
          description:
            'Creates a category at the root or under `parentId`, with its subcategories (`children`, up to ' +
            'five levels per request), all in one transaction. Attribute definitions are inherited by ' +
            'subcategories; a subcategory cannot redefine an inherited key.',
          security: bearer,
          headers: IdempotencyHeadersSchema,
          body: CategoryCreateSchema,
          response: {
            201: CategoryTreeNodeSchema,
            ...authProblems,
            403: ProblemRef,
            404: ProblemRef,
            409: ProblemRef,
            422: ProblemRef,
          },
        },
      },
      async (request, reply) => {
        const { row, tree } = await createCategory(
          orm,
          getAuth(request).orgId,
          request.body as unknown as CategoryCreate,
        );
        request.log.debug({ categoryId: row.id }, 'category created');
        return reply
          .status(201)
          .header('location', `/v1/categories/${row.id}`)
          .header('etag', etagFor(row.version))
          .send(toCategoryTreeNode(row, tree));
      },
    );

    app.get(
      '/:id',
      {
        schema: {
          tags,
          summary: 'Get a category',
          description: 'The category with its own and inherited attribute definitions and its subtree.',
          security: bearer,
          params: CatalogIdParamsSchema,
          response: { 200: CategoryTreeNodeSchema, ...authProblems, 404: ProblemRef },
        },
      },
      async (request, reply) => {
        const { row, tree } = await getCategory(orm, getAuth(request).orgId, request.params.id);
        return reply.header('etag', etagFor(row.version)).send(toCategoryTreeNode(row, tree));
      },
    );

    app.patch(
      '/:id',
      {
        preValidation: managers,
        schema: {
          tags,
          summary: 'Change a category',
          description:
            'Rename, describe, reorder (`position`), move (`parentId`; `null` moves it to the root) or ' +
            'replace its attribute definitions. Moving under itself or a subcategory is 409 CATEGORY_CYCLE. ' +
            'A definition change (or a move that changes inherited definitions) that existing products ' +
            'would fail is 409 ATTRIBUTE_DEFINITION_CONFLICT, naming each attribute and how many products ' +
            'fail; removing a definition keeps the values on products as free attributes. Honours `If-Match`.',
          security: bearer,
          params: CatalogIdParamsSchema,
          headers: IfMatchHeaderSchema,
          body: CategoryPatchSchema,
          response: {
            200: CategorySchema,
            ...authProblems,
            403: ProblemRef,
            404: ProblemRef,
            409: ProblemRef,
            412: ProblemRef,
          },
        },
      },
      async (request, reply) => {
        const ifMatch = parseIfMatch(request.headers['if-match']);
        const { row, tree } = await updateCategory(
          orm,
          getAuth(request).orgId,
          request.params.id,
          request.body,
          ifMatch,
        );
        request.log.debug({ categoryId: row.id, version: row.version }, 'category updated');
        return reply.header('etag', etagFor(row.version)).send(toCategory(row, tree));
      },
    );

    app.delete(
      '/:id',
      {
        preValidation: managers,
        schema: {
          tags,
          summary: 'Delete a category',
          description:
            'A category with products or subcategories is refused (409 CATEGORY_NOT_EMPTY) unless the ' +
            'request says where they go: `productsTo` (a category id, or `uncategorized`) and `childrenTo` ' +
            "(a category id, or `root`). Moved products must satisfy their new category's definitions. " +
            'Honours `If-Match`.',
          security: bearer,
          params: CatalogIdParamsSchema,
          querystring: CategoryDeleteQuerySchema,
          headers: IfMatchHeaderSchema,
          response: {
            204: NoContentSchema,
            ...authProblems,
            403: ProblemRef,
            404: ProblemRef,
            409: ProblemRef,
            412: ProblemRef,
          },
        },
      },
      async (request, reply) => {
        const ifMatch = parseIfMatch(request.headers['if-match']);
        const row = await deleteCategory(
          orm,
          getAuth(request).orgId,
          request.params.id,
          request.query,
          ifMatch,
        );
        request.log.debug({ categoryId: row.id, version: row.version }, 'category deleted');
        return reply.status(204).send(null);
      },
    );
  };
}

/** `/v1/products`: thin handlers over the product use cases. Writes need products_management or admin. */
import {
  AppError,
  CatalogIdParamsSchema,
  ProductCreateSchema,
  ProductListQuerySchema,
  ProductPageSchema,
  ProductPatchSchema,
  ProductSchema,
} from '@invoice/contracts';
import { getAuth, requireAuth, type App, type JwtVerifier } from '@invoice/platform-http';
import type { MikroORM } from '@invoice/platform-db';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { toProduct } from '../application/product.mapper.ts';
import {
  createProduct,
  deleteProduct,
  getProduct,
  listProducts,
  updateProduct,
} from '../application/products.service.ts';
import type { ProductRow } from '../db/product.entity.ts';
import { etagFor } from '../domain/concurrency.ts';
import { canManageProducts } from '../domain/permissions.ts';
import {
  authProblems,
  bearer,
  IdempotencyHeadersSchema,
  IfMatchHeadersSchema,
  NoContentSchema,
  ProblemRef,
} from './route-schemas.ts';

/** What the product routes need. */
export interface ProductRoutesDeps {
  orm: MikroORM;
  verifyToken: JwtVerifier;
  /** Idempotency-Key handling for the create route (from registerIdempotency). */
  idempotent: preHandlerAsyncHookHandler;
}

const tags = ['products'];

/** Registers the product routes (mount with prefix `/v1/products`). */
export function productsRoutes(deps: ProductRoutesDeps) {
  const { orm } = deps;
  return async (app: App): Promise<void> => {
    app.addHook('onRequest', requireAuth(deps.verifyToken));

    app.get(
      '/',
      {
        schema: {
          tags,
          summary: 'List products',
          description:
            'Live products in creation order, a page at a time; `q` matches part of the name or SKU.',
          security: bearer,
          querystring: ProductListQuerySchema,
          response: { 200: ProductPageSchema, ...authProblems },
        },
      },
      async (request) => {
        const page = await listProducts(orm, getAuth(request).orgId, request.query);
        return { items: page.items.map(toProduct), nextCursor: page.nextCursor };
      },
    );

    app.post(
      '/',
      {
        preValidation: managerOnly,
        preHandler: deps.idempotent,
        schema: {
          tags,
          summary: 'Create a product',
          security: bearer,
          headers: IdempotencyHeadersSchema,
          body: ProductCreateSchema,
          response: {
            201: ProductSchema,
            ...authProblems,
            403: ProblemRef,
            409: ProblemRef,
            422: ProblemRef,
          },
        },
      },
      async (request, reply) => {
        const auth = getAuth(request);
        const row = await createProduct(orm, auth.orgId, request.body);
        request.log.info({ productId: row.id, version: row.version }, 'product created');
        reply.header('location', `/v1/products/${row.id}`);
        return withEtag(reply.status(201), row);
      },
    );

    app.get(
      '/:id',
      {
        schema: {
          tags,
          summary: 'Get a product',
          security: bearer,
          params: CatalogIdParamsSchema,
          response: { 200: ProductSchema, ...authProblems, 404: ProblemRef },
        },
      },
      async (request, reply) =>
        withEtag(reply, await getProduct(orm, getAuth(request).orgId, request.params.id)),
    );

    app.patch(
      '/:id',
      {
        preValidation: managerOnly,
        schema: {
          tags,
          summary: 'Change a product',
          description: 'Send only the fields to change; `null` clears an optional field. Honours `If-Match`.',
          security: bearer,
          params: CatalogIdParamsSchema,
          headers: IfMatchHeadersSchema,
          body: ProductPatchSchema,
          response: {
            200: ProductSchema,
            ...authProblems,
            403: ProblemRef,
            404: ProblemRef,
            409: ProblemRef,
            412: ProblemRef,
          },
        },
      },
      async (request, reply) => {
        const auth = getAuth(request);
        const ifMatch = request.headers['if-match'];
        const row = await updateProduct(orm, auth.orgId, request.params.id, request.body, ifMatch);
        request.log.info({ productId: row.id, version: row.version }, 'product updated');
        return withEtag(reply, row);
      },
    );

    app.delete(
      '/:id',
      {
        preValidation: managerOnly,
        schema: {
          tags,
          summary: 'Delete a product',
          description:
            'Soft delete: the product leaves lists and lookups and frees its SKU; invoices keep their copy.',
          security: bearer,
          params: CatalogIdParamsSchema,
          headers: IfMatchHeadersSchema,
          response: {
            204: NoContentSchema,
            ...authProblems,
            403: ProblemRef,
            404: ProblemRef,
            412: ProblemRef,
          },
        },
      },
      async (request, reply) => {
        const auth = getAuth(request);
        await deleteProduct(orm, auth.orgId, request.params.id, request.headers['if-match']);
        request.log.info({ productId: request.params.id }, 'product deleted');
        return reply.status(204).send(null);
      },
    );
  };
}

/** Runs before body validation, so a caller without the permission learns nothing about the body. */
async function managerOnly(request: FastifyRequest): Promise<void> {
  if (!canManageProducts(getAuth(request))) {
    throw new AppError('FORBIDDEN', {
      detail: 'Changing products needs the products_management or admin permission',
    });
  }
}

function withEtag(reply: FastifyReply, row: ProductRow) {
  reply.header('etag', etagFor(row.version));
  return toProduct(row);
}

/**
 * `/v1/products`: list, create (Idempotency-Key), get (ETag), change and soft delete (both honour
 * If-Match and answer the new ETag). Writes need products_management or admin, checked before the
 * body is validated, so a caller without the permission learns nothing about the body.
 */
import {
  AppError,
  CatalogIdParamsSchema,
  ProductCreateSchema,
  ProductListQuerySchema,
  ProductPageSchema,
  ProductPatchSchema,
  ProductSchema,
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
  type JwtVerifier,
  type RoutePlugin,
} from '@invoice/platform-http';
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { toProduct } from '../application/product.mapper.ts';
import {
  createProduct,
  deleteProduct,
  getProduct,
  listProducts,
  updateProduct,
} from '../application/products.service.ts';
import { canManageProducts } from '../domain/permissions.ts';
import { authProblems, bearer, NoContentSchema } from './route-schemas.ts';

/** What the product routes need. */
export interface ProductRoutesDeps {
  orm: MikroORM;
  verifier: JwtVerifier;
  /** Idempotency-Key handling for the create route (from registerIdempotency). */
  idempotent: preHandlerAsyncHookHandler;
}

const tags = ['products'];

/** The product routes (mount with prefix `/v1/products`). */
export function productsRoutes(deps: ProductRoutesDeps): RoutePlugin {
  const { orm } = deps;
  return async (app) => {
    app.addHook('onRequest', requireAuth(deps.verifier));

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
          // 409: the SKU is taken, or the same Idempotency-Key is still in flight; 422: the key was
          // used with another body.
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
        const row = await createProduct(orm, getAuth(request).orgId, request.body);
        request.log.debug({ productId: row.id, version: row.version }, 'product created');
        return reply
          .status(201)
          .header('location', `/v1/products/${row.id}`)
          .header('etag', etagFor(row.version))
          .send(toProduct(row));
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
      async (request, reply) => {
        const row = await getProduct(orm, getAuth(request).orgId, request.params.id);
        return reply.header('etag', etagFor(row.version)).send(toProduct(row));
      },
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
          headers: IfMatchHeaderSchema,
          body: ProductPatchSchema,
          // 409: the new SKU is used by another live product.
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
        const ifMatch = parseIfMatch(request.headers['if-match']);
        const row = await updateProduct(
          orm,
          getAuth(request).orgId,
          request.params.id,
          request.body,
          ifMatch,
        );
        request.log.debug({ productId: row.id, version: row.version }, 'product updated');
        return reply.header('etag', etagFor(row.version)).send(toProduct(row));
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
          headers: IfMatchHeaderSchema,
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
        const ifMatch = parseIfMatch(request.headers['if-match']);
        const row = await deleteProduct(orm, getAuth(request).orgId, request.params.id, ifMatch);
        request.log.debug({ productId: row.id, version: row.version }, 'product deleted');
        return reply.status(204).send(null);
      },
    );
  };
}

/** The write guard (a preValidation hook): 403 without products_management or admin. */
async function managerOnly(request: FastifyRequest): Promise<void> {
  if (!canManageProducts(getAuth(request))) {
    throw new AppError('FORBIDDEN', {
      detail: 'Changing products needs the products_management or admin permission',
    });
  }
}

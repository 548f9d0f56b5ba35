/**
 * `/v1/products`: list, create (Idempotency-Key), get (ETag), change and soft delete (both honour
 * If-Match and answer the new ETag). Writes need products_management or admin, checked before the
 * body is validated, so a caller without the permission learns nothing about the body.
 */
import {
  AppError,
  CatalogIdParamsSchema,
  ProductExportQuerySchema,
  ExportFileSchema,
  ProductBulkActionResultSchema,
  ProductBulkPatchSchema,
  ProductBulkResultSchema,
  ProductCreateSchema,
  ProductIdsSchema,
  ProductListQuerySchema,
  ProductPageSchema,
  ProductPatchSchema,
  ProductSchema,
} from '@invoice/contracts';
import type { MikroORM } from '@invoice/platform-db';
import {
  etagFor,
  getAuth,
  hasPermission,
  IdempotencyHeadersSchema,
  IfMatchHeaderSchema,
  parseIfMatch,
  ProblemRef,
  requireAuth,
  type JwtVerifier,
  type RoutePlugin,
} from '@invoice/platform-http';
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { CONTENT_TYPES } from '../application/export.ts';
import { exportProducts } from '../application/exports.service.ts';
import { toProduct } from '../application/product.mapper.ts';
import { bulkProductAction, bulkUpdateProducts, type BulkAction } from '../application/products.bulk.ts';
import {
  createProduct,
  deleteProduct,
  getProduct,
  listProducts,
  updateProduct,
} from '../application/products.service.ts';
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
            'Live products a page at a time. `q` matches part of the name or SKU (case-insensitive); ' +
            '`categoryId` keeps products of that category and, unless `descendants=false`, of its ' +
            'subcategories; `status` chooses active (default), archived or all; `sort` orders by id ' +
            '(creation order, default), name, createdAt or unitPrice (`-` for descending). The cursor ' +
            'belongs to the sort it was issued for.',
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

    app.patch(
      '/',
      {
        preValidation: managerOnly,
        schema: {
          tags,
          summary: 'Change many products',
          description:
            'Up to 1,000 changes `{id, …fields}` (each like a single PATCH) in one transaction: all are ' +
            'applied or none. Every failing item is reported under `/items/<i>/…`; an id that is not a ' +
            'live product of the organization makes the request 404. Products that would not change keep ' +
            'their version. Repeating the same request changes nothing more.',
          security: bearer,
          body: ProductBulkPatchSchema,
          response: {
            200: ProductBulkResultSchema,
            ...authProblems,
            403: ProblemRef,
            404: ProblemRef,
            409: ProblemRef,
          },
        },
      },
      async (request) => {
        const rows = await bulkUpdateProducts(orm, getAuth(request).orgId, request.body);
        request.log.debug({ count: rows.length }, 'products updated in bulk');
        return { items: rows.map(toProduct) };
      },
    );

    const actions: [BulkAction, string, string][] = [
      [
        'archive',
        'Archive many products',
        'Archived products leave the default list and export (`status=archived` shows them) and stay usable by id.',
      ],
      ['unarchive', 'Unarchive many products', 'The products return to the default list.'],
      [
        'delete',
        'Delete many products',
        'Soft delete, as for one product: they leave lists and lookups and free their SKUs.',
      ],
    ];
    for (const [action, summary, description] of actions) {
      app.post(
        `/bulk/${action}`,
        {
          preValidation: managerOnly,
          preHandler: deps.idempotent,
          schema: {
            tags,
            summary,
            description: `${description} Up to 1,000 ids in one transaction, all or none; an id that is not a live product of the organization makes the request 404 naming \`/ids/<i>\`. Honours Idempotency-Key.`,
            security: bearer,
            headers: IdempotencyHeadersSchema,
            body: ProductIdsSchema,
            response: {
              200: ProductBulkActionResultSchema,
              ...authProblems,
              403: ProblemRef,
              404: ProblemRef,
              409: ProblemRef,
              422: ProblemRef,
            },
          },
        },
        async (request) => {
          const rows = await bulkProductAction(orm, getAuth(request).orgId, request.body.ids, action);
          request.log.debug({ action, count: rows.length }, 'products changed in bulk');
          return { items: rows.map((row) => ({ id: row.id, version: row.version })) };
        },
      );
    }

    for (const action of ['archive', 'unarchive'] as const) {
      app.post(
        `/:id/${action}`,
        {
          preValidation: managerOnly,
          preHandler: deps.idempotent,
          schema: {
            tags,
            summary: action === 'archive' ? 'Archive a product' : 'Unarchive a product',
            description:
              action === 'archive'
                ? 'The product leaves the default list and export but stays usable by id; archiving an archived product changes nothing.'
                : 'The product returns to the default list.',
            security: bearer,
            params: CatalogIdParamsSchema,
            headers: IdempotencyHeadersSchema,
            response: {
              200: ProductSchema,
              ...authProblems,
              403: ProblemRef,
              404: ProblemRef,
              409: ProblemRef,
              422: ProblemRef,
            },
          },
        },
        async (request, reply) => {
          const [row] = await bulkProductAction(
            orm,
            getAuth(request).orgId,
            [request.params.id],
            action,
            () => 'params:/id',
          );
          return reply.header('etag', etagFor(row!.version)).send(toProduct(row!));
        },
      );
    }

    app.get(
      '/export',
      {
        schema: {
          tags,
          summary: 'Export products',
          description:
            'The products the list would show (same filters and sort, every page), streamed as CSV ' +
            '(RFC 4180, CRLF, UTF-8 with BOM; `separator=semicolon` for `;`) or XLSX (`format=xlsx`).' +
            ' With `categoryId`, one `attribute:<key>` column per attribute the category defines; `attributes` holds all as JSON.',
          security: bearer,
          querystring: ProductExportQuerySchema,
          produces: [CONTENT_TYPES.csv, CONTENT_TYPES.xlsx],
          response: { 200: ExportFileSchema, ...authProblems, 404: ProblemRef },
        },
      },
      async (request, reply) => {
        const { format = 'csv', separator = 'comma', ...filter } = request.query;
        const stream = await exportProducts(orm, getAuth(request).orgId, filter, {
          format,
          separator: separator === 'semicolon' ? ';' : ',',
        });
        const stamp = new Date().toISOString().slice(0, 10);
        return reply
          .header('content-type', CONTENT_TYPES[format])
          .header('content-disposition', `attachment; filename="products-${stamp}.${format}"`)
          .send(stream);
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
  if (!hasPermission(getAuth(request), 'products_management')) {
    throw new AppError('FORBIDDEN', {
      detail: 'Changing products needs the products_management or admin permission',
    });
  }
}

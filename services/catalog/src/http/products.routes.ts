/** `/v1/products`: thin handlers over the product use cases. Writes need products_management or admin. */
import {
  AppError,
  ProductCreateSchema,
  ProductListQuerySchema,
  ProductPageSchema,
  ProductPatchSchema,
  ProductSchema,
} from '@invoice/contracts';
import { getAuth } from '@invoice/platform-http';
import type { FastifyRequest } from 'fastify';
import { toProduct } from '../application/product.mapper.ts';
import {
  createProduct,
  deleteProduct,
  getProduct,
  listProducts,
  updateProduct,
} from '../application/products.service.ts';
import { canManageProducts } from '../domain/permissions.ts';
import { versionedRoutes, type VersionedRoutesDeps } from './versioned-routes.ts';

/** What the product routes need. */
export type ProductRoutesDeps = VersionedRoutesDeps;

/** Registers the product routes (mount with prefix `/v1/products`). */
export function productsRoutes(deps: ProductRoutesDeps) {
  return versionedRoutes(deps, {
    one: 'product',
    many: 'products',
    schemas: {
      item: ProductSchema,
      page: ProductPageSchema,
      listQuery: ProductListQuerySchema,
      create: ProductCreateSchema,
      patch: ProductPatchSchema,
    },
    descriptions: {
      list: 'Live products in creation order, a page at a time; `q` matches part of the name or SKU.',
      remove:
        'Soft delete: the product leaves lists and lookups and frees its SKU; invoices keep their copy.',
    },
    // A changed SKU may be taken by another live product.
    patchMayConflict: true,
    writerOnly: managerOnly,
    toApi: toProduct,
    useCases: {
      list: listProducts,
      get: getProduct,
      create: createProduct,
      update: updateProduct,
      remove: deleteProduct,
    },
  });
}

async function managerOnly(request: FastifyRequest): Promise<void> {
  if (!canManageProducts(getAuth(request))) {
    throw new AppError('FORBIDDEN', {
      detail: 'Changing products needs the products_management or admin permission',
    });
  }
}

import { AppError } from '@invoice/contracts';

/** 409: the SKU is used by another live product of the organization. */
export function skuTaken(): AppError {
  return AppError.field('SKU_TAKEN', '/sku', 'is already used by another product');
}

/** Missing, deleted, or owned by another organization: always the same 404. */
export function notFound(): AppError {
  return new AppError('NOT_FOUND');
}

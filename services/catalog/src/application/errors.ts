import { AppError } from '@invoice/contracts';
import { ifMatchAllows } from '../domain/concurrency.ts';

/** 409: the SKU is used by another live product of the organization. */
export function skuTaken(): AppError {
  return AppError.field('SKU_TAKEN', '/sku', 'is already used by another product');
}

/** Missing, deleted, or owned by another organization: always the same 404. */
export function notFound(): AppError {
  return new AppError('NOT_FOUND');
}

/** Throws 412 when `If-Match` names another version. */
export function assertIfMatch(ifMatch: string | undefined, version: number): void {
  if (!ifMatchAllows(ifMatch, version)) {
    throw new AppError('PRECONDITION_FAILED', {
      detail: `If-Match does not match the current ETag "${version}"`,
    });
  }
}

import { AppError, type FieldError } from '@invoice/contracts';
import { ifMatchAllows } from '../domain/concurrency.ts';

/**
 * The SKU is used by another live product of the organization. Not an AppError because the closed
 * ErrorCodes set has no code for it yet; the products routes answer it with 409 `SKU_TAKEN`.
 */
export class SkuTakenError extends Error {
  constructor() {
    super('A product with this SKU already exists');
    this.name = 'SkuTakenError';
  }
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

/** Throws 400 VALIDATION_FAILED naming every failing field. */
export function assertNoFieldErrors(errors: FieldError[]): void {
  if (errors.length > 0) throw new AppError('VALIDATION_FAILED', { detail: 'The body is not valid', errors });
}

/** Small factories and assertions shared by the money engine tests. */
import assert from 'node:assert/strict';
import { AppError, type DocumentPricingInput, type ErrorCode, type LineInput } from '@invoice/contracts';

/** A valid line (1 × 10.00 at standard 19 % VAT) with overrides. */
export function line(overrides: Partial<LineInput> = {}): LineInput {
  return {
    description: 'Consulting',
    quantity: '1',
    unitCode: 'C62',
    unitPrice: '10.00',
    vatCategory: 'S',
    vatRate: '19',
    ...overrides,
  };
}

/** A valid EUR document with the given lines and overrides. */
export function doc(lines: LineInput[], overrides: Partial<DocumentPricingInput> = {}): DocumentPricingInput {
  return { currency: 'EUR', lines, ...overrides };
}

/** Asserts that `fn` throws an AppError with `code`, naming `field` among its field errors (if given). */
export function assertAppError(fn: () => unknown, code: ErrorCode, field?: string): AppError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof AppError, `expected an AppError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, `expected ${code}, got ${caught.code}: ${JSON.stringify(caught.errors)}`);
  if (field !== undefined) {
    const fields = caught.errors.map((error) => error.field);
    assert.ok(fields.includes(field), `expected an error on ${field}, got ${fields.join(', ')}`);
  }
  return caught;
}

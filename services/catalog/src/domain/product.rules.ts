/**
 * Rules for a product's fields: defaults, canonical decimals, PATCH application. The currency is
 * checked against ISO 4217 by the contract schema (400 VALIDATION_FAILED naming `/currency`).
 */
import {
  canonicalDecimal,
  type ProductAttributes,
  type ProductCreate,
  type ProductPatch,
} from '@invoice/contracts';
import { mergePatch } from './patch.ts';

/** UN/ECE Rec 20 "one" (a unit, a piece): the unit of a product that does not name one. */
export const DEFAULT_UNIT_CODE = 'C62';

/** The editable state of a product, with its defaults applied. */
export type ProductFields = Omit<ProductCreate, 'unitCode' | 'attributes'> & {
  unitCode: string;
  attributes: ProductAttributes;
};

/**
 * Applies defaults (unit C62, no attributes), trims the name and writes decimals canonically (a
 * price with at least two decimals, a VAT rate without padding), so "12.5" and "12.50" are the
 * same price and a PATCH that repeats a value changes nothing.
 */
export function normalizeProduct(fields: ProductCreate | ProductFields): ProductFields {
  const next: ProductFields = {
    ...fields,
    name: fields.name.trim(),
    unitPrice: canonicalDecimal(fields.unitPrice, 2),
    unitCode: fields.unitCode ?? DEFAULT_UNIT_CODE,
    attributes: fields.attributes ?? {},
  };
  if (next.vatRate !== undefined) next.vatRate = canonicalDecimal(next.vatRate);
  return next;
}

/** The state after a PATCH, normalized. */
export function applyProductPatch(current: ProductFields, patch: ProductPatch): ProductFields {
  return normalizeProduct(mergePatch(current, patch));
}

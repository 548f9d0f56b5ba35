/**
 * Turns the lines of a draft request into the money engine's lines: a line naming a product takes the
 * product's description, unit, price, VAT rate and invoice-visible attributes where the request leaves them out, and the product
 * must be priced in the document's currency. Errors name the failing field (`/lines/2/productId`).
 */
import {
  AppError,
  compact,
  type DraftLineInput,
  type FieldError,
  type ItemAttribute,
  type LineInput,
  type ProductSnapshot,
} from '@invoice/contracts';
import { assertSameCurrency } from './money/index.ts';

/** Categories whose rate comes from the product when the line gives none (the others take no rate). */
const RATED_CATEGORIES = new Set(['S', 'L', 'M']);

/** The distinct product ids named by the lines. */
export function productIdsOf(lines: readonly DraftLineInput[]): string[] {
  return [...new Set(lines.flatMap((line) => (line.productId ? [line.productId] : [])))];
}

/**
 * Completes every line from its product. `products` holds the products that exist (missing ids give
 * PRODUCT_NOT_FOUND); throws VALIDATION_FAILED for a line without a product that lacks a required field,
 * CURRENCY_MISMATCH for a product priced in another currency.
 */
export function resolveLines(
  lines: readonly DraftLineInput[],
  products: ReadonlyMap<string, ProductSnapshot>,
  currency: string,
): LineInput[] {
  const errors: FieldError[] = [];
  const resolved = lines.map((line, index) => resolveLine(line, index, products, errors));
  if (errors.length > 0) {
    // Like the engine: one code when every error shares it, VALIDATION_FAILED for a mix.
    const codes = new Set(errors.map((error) => error.code));
    const code = codes.size === 1 ? (errors[0]?.code ?? 'VALIDATION_FAILED') : 'VALIDATION_FAILED';
    throw new AppError(code, { detail: errors[0]?.message, errors });
  }
  assertSameCurrency(
    currency,
    lines.flatMap((line, index) => {
      const product = line.productId ? products.get(line.productId) : undefined;
      return product ? [{ field: `/lines/${index}/productId`, currency: product.currency }] : [];
    }),
  );
  return resolved;
}

function resolveLine(
  line: DraftLineInput,
  index: number,
  products: ReadonlyMap<string, ProductSnapshot>,
  errors: FieldError[],
): LineInput {
  const at = `/lines/${index}`;
  const product = line.productId ? products.get(line.productId) : undefined;
  if (line.productId && !product) {
    errors.push({ field: `${at}/productId`, message: 'no such product', code: 'PRODUCT_NOT_FOUND' });
  }
  const description = line.description ?? product?.name;
  const unitCode = line.unitCode ?? product?.unitCode;
  const unitPrice = line.unitPrice ?? product?.unitPrice;
  if (!line.productId) {
    for (const [field, value] of [
      ['description', description],
      ['unitCode', unitCode],
      ['unitPrice', unitPrice],
    ] as const) {
      if (value !== undefined) continue;
      const message = 'is required when the line names no product';
      errors.push({ field: `${at}/${field}`, message, code: 'VALIDATION_FAILED' });
    }
  }
  const vatRate =
    line.vatRate ??
    (product?.vatRate !== undefined && RATED_CATEGORIES.has(line.vatCategory ?? 'S')
      ? product.vatRate
      : undefined);
  const vatCategory = line.vatCategory ?? defaultCategory(vatRate);
  const attributes = line.attributes ?? productAttributes(product);
  return {
    ...compact(line),
    quantity: line.quantity,
    description: description ?? '',
    unitCode: unitCode ?? '',
    unitPrice: unitPrice ?? '0',
    vatCategory,
    ...compact({ vatRate }),
    ...(attributes.length > 0 ? { attributes } : {}),
  };
}

/** The product's attributes marked "shown on invoices", as item attributes (label: value). */
function productAttributes(product: ProductSnapshot | undefined): ItemAttribute[] {
  return (product?.invoiceAttributes ?? []).map(({ label, value }) => ({ name: label, value }));
}

/** S (standard rate), or Z (zero rated) when the rate is zero. */
function defaultCategory(vatRate: string | undefined): LineInput['vatCategory'] {
  return vatRate !== undefined && /^0+(\.0+)?$/.test(vatRate) ? 'Z' : 'S';
}

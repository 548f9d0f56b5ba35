/** Conversions between product rows, domain fields, the HTTP shape and the event snapshot. */
import {
  canonicalDecimal,
  compact,
  type AttributeDefinition,
  type Product,
  type ProductSnapshot,
} from '@invoice/contracts';
import type { ProductRow } from '../db/product.entity.ts';
import type { ProductFields } from '../domain/product.rules.ts';

/**
 * The editable fields of a row, decimals in canonical form (numeric columns pad to their scale):
 * a unit price keeps at least two decimals ("12.50", "0.125"), a VAT rate none ("23", "7.5").
 */
export function productFieldsOf(row: ProductRow): ProductFields {
  return {
    ...compact({
      description: row.description,
      sku: row.sku,
      vatRate: row.vatRate === null || row.vatRate === undefined ? undefined : canonicalDecimal(row.vatRate),
      categoryId: row.categoryId,
    }),
    name: row.name,
    unitPrice: canonicalDecimal(row.unitPrice, 2),
    currency: row.currency,
    unitCode: row.unitCode,
    attributes: row.attributes,
  };
}

/** Writes fields onto a row (absent optional fields become NULL). */
export function assignProductFields(row: ProductRow, fields: ProductFields): void {
  row.name = fields.name;
  row.description = fields.description ?? null;
  row.sku = fields.sku ?? null;
  row.unitPrice = fields.unitPrice;
  row.currency = fields.currency;
  row.unitCode = fields.unitCode;
  row.vatRate = fields.vatRate ?? null;
  row.categoryId = fields.categoryId ?? null;
  row.attributes = fields.attributes;
}

/** The product as the API returns it. */
export function toProduct(row: ProductRow): Product {
  return {
    id: row.id,
    ...productFieldsOf(row),
    ...(row.archivedAt ? { archivedAt: row.archivedAt.toISOString() } : {}),
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * The product as other services replicate it (what an invoice line copies). `definitions` are the
 * ones that apply to its category: those marked `showOnInvoice` with a value become `invoiceAttributes`.
 */
export function toProductSnapshot(
  row: ProductRow,
  definitions: readonly AttributeDefinition[] = [],
): ProductSnapshot {
  const fields = productFieldsOf(row);
  const invoiceAttributes = definitions
    .filter((definition) => definition.showOnInvoice && fields.attributes[definition.key] !== undefined)
    .map((definition) => ({
      key: definition.key,
      label: definition.label,
      value: String(fields.attributes[definition.key]),
    }));
  return compact({
    id: row.id,
    name: fields.name,
    description: fields.description,
    sku: fields.sku,
    unitPrice: fields.unitPrice,
    currency: fields.currency,
    unitCode: fields.unitCode,
    vatRate: fields.vatRate,
    categoryId: fields.categoryId,
    attributes: Object.keys(fields.attributes).length > 0 ? fields.attributes : undefined,
    invoiceAttributes: invoiceAttributes.length > 0 ? invoiceAttributes : undefined,
    version: row.version,
  }) as ProductSnapshot;
}

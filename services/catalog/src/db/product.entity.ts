import type { InferEntity } from '@mikro-orm/core';
import type { ProductAttributes } from '@invoice/contracts';
import { defineEntity, p } from '@invoice/platform-db';

/** A product or service an organization sells. Soft-deleted: invoices keep their own snapshots. */
export const ProductEntity = defineEntity({
  name: 'Product',
  tableName: 'products',
  properties: {
    id: p.uuid().primary(),
    orgId: p.uuid().name('org_id'),
    name: p.text(),
    description: p.text().nullable(),
    sku: p.text().nullable(),
    unitPrice: p.decimal('string').precision(19).scale(6).name('unit_price'),
    currency: p.text(),
    unitCode: p.text().name('unit_code'),
    vatRate: p.decimal('string').precision(9).scale(6).name('vat_rate').nullable(),
    // A live category of the organization (checked on every write).
    categoryId: p.uuid().name('category_id').nullable(),
    attributes: p.json<ProductAttributes>(),
    version: p.integer(),
    createdAt: p.datetime().name('created_at'),
    updatedAt: p.datetime().name('updated_at'),
    archivedAt: p.datetime().name('archived_at').nullable(),
    deletedAt: p.datetime().name('deleted_at').nullable(),
  },
});

/** A loaded product row. */
export type ProductRow = InferEntity<typeof ProductEntity>;

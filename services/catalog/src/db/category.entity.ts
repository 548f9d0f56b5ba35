import type { InferEntity } from '@mikro-orm/core';
import type { AttributeDefinition } from '@invoice/contracts';
import { defineEntity, p } from '@invoice/platform-db';

/** A product category of an organization: a node of a tree of any depth. Soft-deleted. */
export const CategoryEntity = defineEntity({
  name: 'Category',
  tableName: 'categories',
  properties: {
    id: p.uuid().primary(),
    orgId: p.uuid().name('org_id'),
    parentId: p.uuid().name('parent_id').nullable(),
    name: p.text(),
    description: p.text().nullable(),
    position: p.integer(),
    // Its own attribute definitions; its ancestors' apply to its products as well.
    attributes: p.json<AttributeDefinition[]>(),
    version: p.integer(),
    createdAt: p.datetime().name('created_at'),
    updatedAt: p.datetime().name('updated_at'),
    deletedAt: p.datetime().name('deleted_at').nullable(),
  },
});

/** A loaded category row. */
export type CategoryRow = InferEntity<typeof CategoryEntity>;

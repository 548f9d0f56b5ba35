/** A product replicated from catalog events (highest `version` wins; a deleted product stays as a tombstone). */
import { defineEntity, p } from '@invoice/platform-db';
import type { ProductSnapshot } from '@invoice/contracts';

export const ProductReplicaEntity = defineEntity({
  name: 'ProductReplica',
  tableName: 'product_replicas',
  properties: {
    orgId: p.uuid().primary(),
    id: p.uuid().primary(),
    version: p.integer(),
    data: p.json<ProductSnapshot>().nullable(),
    deletedAt: p.datetime().nullable(),
    updatedAt: p.datetime(),
  },
});

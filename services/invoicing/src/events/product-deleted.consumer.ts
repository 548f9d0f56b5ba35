/** `catalog.product.deleted.v1` → tombstone in the product replica (existing lines keep their copy). */
import { Subjects } from '@invoice/contracts';
import type { ConsumerDefinition } from '@invoice/platform-bus';
import { deleteProduct } from '../db/replicas.repository.ts';
import type { ConsumerDeps } from './consumer-deps.ts';
import { replicaConsumer } from './replica-consumer.ts';

type ProductDeleted = { productId: string; version?: number };

export function productDeletedConsumer(deps: ConsumerDeps): ConsumerDefinition<ProductDeleted> {
  return replicaConsumer(deps, {
    durable: 'invoicing-product-deleted',
    subject: Subjects.ProductDeleted,
    apply: (em, event) => deleteProduct(em, event.orgid, event.data.productId, event.data.version),
    message: 'product replica deleted',
    fields: ({ productId }) => ({ productId }),
  });
}

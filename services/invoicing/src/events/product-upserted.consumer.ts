/** `catalog.product.upserted.v1` → the product replica (highest version wins). */
import { Subjects, type ProductUpserted } from '@invoice/contracts';
import type { ConsumerDefinition } from '@invoice/platform-bus';
import { upsertProduct } from '../db/replicas.repository.ts';
import type { ConsumerDeps } from './consumer-deps.ts';
import { replicaConsumer } from './replica-consumer.ts';

export function productUpsertedConsumer(deps: ConsumerDeps): ConsumerDefinition<ProductUpserted> {
  return replicaConsumer(deps, {
    durable: 'invoicing-product-upserted',
    subject: Subjects.ProductUpserted,
    apply: (em, event) => upsertProduct(em, event.orgid, event.data.product),
    message: 'product replica updated',
    fields: ({ product }) => ({ productId: product.id, version: product.version }),
  });
}

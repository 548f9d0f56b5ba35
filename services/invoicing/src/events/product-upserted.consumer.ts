/** `catalog.product.upserted.v1` → the product replica (highest version wins). */
import { Subjects, type ProductUpserted } from '@invoice/contracts';
import type { ConsumerDefinition } from '@invoice/platform-bus';
import { handleOnce } from '@invoice/platform-outbox';
import { upsertProduct } from '../db/replicas.repository.ts';
import type { ConsumerDeps } from './consumer-deps.ts';

export const PRODUCT_UPSERTED_DURABLE = 'invoicing-product-upserted';

export function productUpsertedConsumer(deps: ConsumerDeps): ConsumerDefinition<ProductUpserted> {
  return {
    durable: PRODUCT_UPSERTED_DURABLE,
    subject: Subjects.ProductUpserted,
    async handle(event, { logger }) {
      await handleOnce(deps.orm, PRODUCT_UPSERTED_DURABLE, event, (em) =>
        upsertProduct(em, event.orgid, event.data.product),
      );
      logger.debug(
        { productId: event.data.product.id, version: event.data.product.version },
        'product replica updated',
      );
    },
  };
}

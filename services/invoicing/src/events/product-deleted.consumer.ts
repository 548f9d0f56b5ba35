/** `catalog.product.deleted.v1` → tombstone in the product replica (existing lines keep their copy). */
import { Subjects } from '@invoice/contracts';
import type { ConsumerDefinition } from '@invoice/platform-bus';
import { handleOnce } from '@invoice/platform-outbox';
import { deleteProduct } from '../db/replicas.repository.ts';
import type { ConsumerDeps } from './consumer-deps.ts';

export const PRODUCT_DELETED_DURABLE = 'invoicing-product-deleted';

export function productDeletedConsumer(
  deps: ConsumerDeps,
): ConsumerDefinition<{ productId: string; version?: number }> {
  return {
    durable: PRODUCT_DELETED_DURABLE,
    subject: Subjects.ProductDeleted,
    async handle(event, { logger }) {
      await handleOnce(deps.orm, PRODUCT_DELETED_DURABLE, event, (em) =>
        deleteProduct(em, event.orgid, event.data.productId, event.data.version),
      );
      logger.debug({ productId: event.data.productId }, 'product replica deleted');
    },
  };
}

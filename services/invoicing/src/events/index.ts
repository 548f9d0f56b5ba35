/** Every consumer of the invoicing service, with its durable name (one per subscribed subject). */
import type { ConsumerDefinition } from '@invoice/platform-bus';
import { clientDeletedConsumer } from './client-deleted.consumer.ts';
import { clientUpsertedConsumer } from './client-upserted.consumer.ts';
import { emailDeliveredConsumer } from './email-delivered.consumer.ts';
import type { ConsumerDeps } from './consumer-deps.ts';
import { organizationUpdatedConsumer } from './organization-updated.consumer.ts';
import { productDeletedConsumer } from './product-deleted.consumer.ts';
import { productUpsertedConsumer } from './product-upserted.consumer.ts';

/** The consumers, as runService and the tests start them. */
export function consumers(deps: ConsumerDeps): ConsumerDefinition[] {
  return [
    clientUpsertedConsumer(deps),
    clientDeletedConsumer(deps),
    productUpsertedConsumer(deps),
    productDeletedConsumer(deps),
    organizationUpdatedConsumer(deps),
    emailDeliveredConsumer(deps),
  ] as ConsumerDefinition[];
}

export type { ConsumerDeps };

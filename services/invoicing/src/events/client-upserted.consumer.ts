/** `catalog.client.upserted.v1` → the client replica (highest version wins). */
import { Subjects, type ClientUpserted } from '@invoice/contracts';
import type { ConsumerDefinition } from '@invoice/platform-bus';
import { handleOnce } from '@invoice/platform-outbox';
import { upsertClient } from '../db/replicas.repository.ts';
import type { ConsumerDeps } from './consumer-deps.ts';

export const CLIENT_UPSERTED_DURABLE = 'invoicing-client-upserted';

export function clientUpsertedConsumer(deps: ConsumerDeps): ConsumerDefinition<ClientUpserted> {
  return {
    durable: CLIENT_UPSERTED_DURABLE,
    subject: Subjects.ClientUpserted,
    async handle(event, { logger }) {
      await handleOnce(deps.orm, CLIENT_UPSERTED_DURABLE, event, (em) =>
        upsertClient(em, event.orgid, event.data.client),
      );
      logger.debug(
        { clientId: event.data.client.id, version: event.data.client.version },
        'client replica updated',
      );
    },
  };
}

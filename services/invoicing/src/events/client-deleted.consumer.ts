/** `catalog.client.deleted.v1` → tombstone in the client replica (drafts naming it can no longer be issued). */
import { Subjects } from '@invoice/contracts';
import type { ConsumerDefinition } from '@invoice/platform-bus';
import { handleOnce } from '@invoice/platform-outbox';
import { deleteClient } from '../db/replicas.repository.ts';
import type { ConsumerDeps } from './consumer-deps.ts';

export const CLIENT_DELETED_DURABLE = 'invoicing-client-deleted';

export function clientDeletedConsumer(
  deps: ConsumerDeps,
): ConsumerDefinition<{ clientId: string; version?: number }> {
  return {
    durable: CLIENT_DELETED_DURABLE,
    subject: Subjects.ClientDeleted,
    async handle(event, { logger }) {
      await handleOnce(deps.orm, CLIENT_DELETED_DURABLE, event, (em) =>
        deleteClient(em, event.orgid, event.data.clientId, event.data.version),
      );
      logger.debug({ clientId: event.data.clientId }, 'client replica deleted');
    },
  };
}

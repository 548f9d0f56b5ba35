/** `catalog.client.deleted.v1` → tombstone in the client replica (drafts naming it can no longer be issued). */
import { Subjects } from '@invoice/contracts';
import type { ConsumerDefinition } from '@invoice/platform-bus';
import { deleteClient } from '../db/replicas.repository.ts';
import type { ConsumerDeps } from './consumer-deps.ts';
import { replicaConsumer } from './replica-consumer.ts';

type ClientDeleted = { clientId: string; version?: number };

export function clientDeletedConsumer(deps: ConsumerDeps): ConsumerDefinition<ClientDeleted> {
  return replicaConsumer(deps, {
    durable: 'invoicing-client-deleted',
    subject: Subjects.ClientDeleted,
    apply: (em, event) => deleteClient(em, event.orgid, event.data.clientId, event.data.version),
    message: 'client replica deleted',
    fields: ({ clientId }) => ({ clientId }),
  });
}

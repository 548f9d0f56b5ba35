/** `catalog.client.upserted.v1` → the client replica (highest version wins). */
import { Subjects, type ClientUpserted } from '@invoice/contracts';
import type { ConsumerDefinition } from '@invoice/platform-bus';
import { upsertClient } from '../db/replicas.repository.ts';
import type { ConsumerDeps } from './consumer-deps.ts';
import { replicaConsumer } from './replica-consumer.ts';

export function clientUpsertedConsumer(deps: ConsumerDeps): ConsumerDefinition<ClientUpserted> {
  return replicaConsumer(deps, {
    durable: 'invoicing-client-upserted',
    subject: Subjects.ClientUpserted,
    apply: (em, event) => upsertClient(em, event.orgid, event.data.client),
    message: 'client replica updated',
    fields: ({ client }) => ({ clientId: client.id, version: client.version }),
  });
}

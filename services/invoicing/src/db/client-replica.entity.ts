/** A client replicated from catalog events (highest `version` wins; a deleted client stays as a tombstone). */
import { defineEntity, p } from '@invoice/platform-db';
import type { ClientSnapshot } from '@invoice/contracts';

export const ClientReplicaEntity = defineEntity({
  name: 'ClientReplica',
  tableName: 'client_replicas',
  properties: {
    orgId: p.uuid().primary(),
    id: p.uuid().primary(),
    version: p.integer(),
    data: p.json<ClientSnapshot>().nullable(),
    deletedAt: p.datetime().nullable(),
    updatedAt: p.datetime(),
  },
});

/** The seller organization replicated from auth events (highest `version` wins). */
import { defineEntity, p } from '@invoice/platform-db';
import type { Organization } from '@invoice/contracts';

export const OrganizationReplicaEntity = defineEntity({
  name: 'OrganizationReplica',
  tableName: 'organization_replicas',
  properties: {
    id: p.uuid().primary(),
    version: p.integer(),
    data: p.json<Organization>(),
    updatedAt: p.datetime(),
  },
});

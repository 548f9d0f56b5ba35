/** `auth.organization.updated.v1` → the seller replica (highest version wins). */
import { Subjects, type OrganizationUpdated } from '@invoice/contracts';
import type { ConsumerDefinition } from '@invoice/platform-bus';
import { upsertOrganization } from '../db/replicas.repository.ts';
import type { ConsumerDeps } from './consumer-deps.ts';
import { replicaConsumer } from './replica-consumer.ts';

export function organizationUpdatedConsumer(deps: ConsumerDeps): ConsumerDefinition<OrganizationUpdated> {
  return replicaConsumer(deps, {
    durable: 'invoicing-organization-updated',
    subject: Subjects.OrganizationUpdated,
    apply: (em, event) => upsertOrganization(em, event.data.organization),
    message: 'organization replica updated',
    fields: ({ organization }) => ({ organizationId: organization.id, version: organization.version }),
  });
}

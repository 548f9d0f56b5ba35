/** `auth.organization.updated.v1` → the seller replica (highest version wins). */
import { Subjects, type OrganizationUpdated } from '@invoice/contracts';
import type { ConsumerDefinition } from '@invoice/platform-bus';
import { handleOnce } from '@invoice/platform-outbox';
import { upsertOrganization } from '../db/replicas.repository.ts';
import type { ConsumerDeps } from './consumer-deps.ts';

export const ORGANIZATION_UPDATED_DURABLE = 'invoicing-organization-updated';

export function organizationUpdatedConsumer(deps: ConsumerDeps): ConsumerDefinition<OrganizationUpdated> {
  return {
    durable: ORGANIZATION_UPDATED_DURABLE,
    subject: Subjects.OrganizationUpdated,
    async handle(event, { logger }) {
      await handleOnce(deps.orm, ORGANIZATION_UPDATED_DURABLE, event, (em) =>
        upsertOrganization(em, event.data.organization),
      );
      logger.debug(
        { organizationId: event.data.organization.id, version: event.data.organization.version },
        'organization replica updated',
      );
    },
  };
}

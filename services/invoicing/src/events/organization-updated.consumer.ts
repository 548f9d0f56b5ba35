/**
 * `auth.organization.updated.v1` → the seller replica.
 *
 * Version rule (defence in depth against a forged or replayed event): a payload is applied only when
 * it is the next version the replica can have seen — `stored + 1`, or version 1 for an organization
 * not stored yet. An older or equal version is a no-op. Any other version (a jump over versions it
 * never saw, or a first sight after version 1) is not trusted: the replica asks auth for the
 * organization over `rpc.auth.organization.get` and stores auth's answer instead of the payload.
 */
import { Subjects, type OrganizationUpdated } from '@invoice/contracts';
import type { ConsumerDefinition } from '@invoice/platform-bus';
import { handleOnce } from '@invoice/platform-outbox';
import { readOrganization, upsertOrganization } from '../db/replicas.repository.ts';
import type { ConsumerDeps } from './consumer-deps.ts';

const DURABLE = 'invoicing-organization-updated';

export function organizationUpdatedConsumer(deps: ConsumerDeps): ConsumerDefinition<OrganizationUpdated> {
  return {
    durable: DURABLE,
    subject: Subjects.OrganizationUpdated,
    async handle(event, { logger }) {
      const { organization } = event.data;
      const stored = await readOrganization(deps.orm.em.fork(), organization.id);
      const next = stored ? stored.version + 1 : 1;
      if (stored && organization.version < next) {
        await handleOnce(deps.orm, DURABLE, event, async () => undefined);
        logger.debug({ organizationId: organization.id, version: organization.version }, 'stale; ignored');
        return;
      }
      if (organization.version === next) {
        await handleOnce(deps.orm, DURABLE, event, (em) => upsertOrganization(em, organization));
        logger.debug(
          { organizationId: organization.id, version: organization.version },
          'organization replica updated',
        );
        return;
      }
      logger.warn(
        {
          eventId: event.id,
          organizationId: organization.id,
          version: organization.version,
          stored: stored?.version,
        },
        'organization version jump; the replica asks auth instead of trusting the event',
      );
      const authoritative = await deps.replicas.fetchOrganization(organization.id);
      await handleOnce(deps.orm, DURABLE, event, async (em) => {
        if (authoritative) await upsertOrganization(em, authoritative);
      });
    },
  };
}

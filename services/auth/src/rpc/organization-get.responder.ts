/**
 * `rpc.auth.organization.get`: other services ask for an organization snapshot when their replica has
 * not caught up with `auth.organization.updated.v1` yet. The bus validates requests against the
 * contract (contracts/src/rpc.ts) and answers a malformed one with VALIDATION_FAILED.
 */
import { RpcSubjects } from '@invoice/contracts';
import type { Bus } from '@invoice/platform-bus';
import type { MikroORM } from '@invoice/platform-db';
import { findOrganization } from '../application/organization.ts';

/** Subscribes the responder (queue group, so replicas share requests); null for an unknown organization. */
export function respondOrganizationGet(bus: Bus, orm: MikroORM): ReturnType<Bus['respond']> {
  return bus.respond(RpcSubjects.AuthOrganizationGet, async ({ organizationId }) => ({
    organization: await findOrganization(orm, organizationId),
  }));
}

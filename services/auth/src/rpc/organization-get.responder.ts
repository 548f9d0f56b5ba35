/**
 * `rpc.auth.organization.get`: other services ask for an organization snapshot when their replica has
 * not caught up with `auth.organization.updated.v1` yet. The bus validates requests against the
 * contract (contracts/src/rpc.ts) and answers a malformed one with VALIDATION_FAILED.
 */
import { RpcSubjects } from '@invoice/contracts';
import type { Bus } from '@invoice/platform-bus';
import { findOrganization } from '../application/organization.ts';
import type { Deps } from '../deps.ts';

/** Subscribes the responder (queue group, so replicas share requests); null for an unknown organization. */
export function respondOrganizationGet(deps: Pick<Deps, 'bus' | 'orm'>): ReturnType<Bus['respond']> {
  return deps.bus.respond(RpcSubjects.AuthOrganizationGet, async ({ organizationId }) => ({
    organization: await findOrganization(deps.orm, organizationId),
  }));
}

/**
 * `rpc.auth.organization.get`: other services ask for an organization snapshot when their replica has
 * not caught up with `auth.organization.updated.v1` yet.
 */
import { AppError, IdSchema, RpcSubjects, type Organization } from '@invoice/contracts';
import type { Bus } from '@invoice/platform-bus';
import type { MikroORM } from '@invoice/platform-db';
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { findOrganization } from '../application/organization.ts';

/** Request payload. */
export const OrganizationGetRequestSchema = Type.Object({ organizationId: IdSchema });
const checkRequest = Compile(OrganizationGetRequestSchema);

/** Answers with `{ organization }` (null when unknown); a malformed request gets `{ error }`. */
export async function answerOrganizationGet(
  orm: MikroORM,
  payload: unknown,
): Promise<{ organization: Organization | null }> {
  if (!checkRequest.Check(payload)) {
    throw AppError.field('VALIDATION_FAILED', '/organizationId', 'organizationId must be a UUID');
  }
  return { organization: await findOrganization(orm, payload.organizationId) };
}

/** Subscribes the responder (queue group, so replicas share requests). */
export function respondOrganizationGet(bus: Bus, orm: MikroORM): ReturnType<Bus['respond']> {
  return bus.respond(RpcSubjects.AuthOrganizationGet, (payload) => answerOrganizationGet(orm, payload));
}

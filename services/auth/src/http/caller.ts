/**
 * The auth service's own check of the caller: the shared token verification, then the membership as
 * stored now (auth owns it, so it needs no announcement): a token of a pending, deactivated or
 * changed membership is refused at once, and the role and permissions used are the stored ones. A
 * token of an API key needs the key unrevoked and keeps the key's scope.
 */
import { AppError } from '@invoice/contracts';
import { getAuth, requireAuth } from '@invoice/platform-http';
import type { FastifyRequest } from 'fastify';
import { activeApiKey } from '../application/api-keys.ts';
import { findMembership } from '../application/members.ts';
import type { Deps } from '../deps.ts';

/**
 * Like {@link currentMember}, for routes about a person's own session and account (the caller's
 * profile, switching organization, password change, logging out everywhere): an API key gets 403.
 */
export function currentPerson(deps: Pick<Deps, 'orm' | 'verifier'>) {
  const member = currentMember(deps);
  return async (request: FastifyRequest): Promise<void> => {
    await member(request);
    if (getAuth(request).apiKeyId) {
      throw new AppError('FORBIDDEN', { detail: 'An API key has no user account or session' });
    }
  };
}

/** A preValidation hook (so 401/403 come before any body validation): a valid token of an active membership at its version. */
export function currentMember(deps: Pick<Deps, 'orm' | 'verifier'>) {
  const verify = requireAuth(deps.verifier);
  return async (request: FastifyRequest): Promise<void> => {
    await verify(request);
    const caller = getAuth(request);
    if (caller.apiKeyId) {
      const key = await activeApiKey(deps.orm, caller.orgId, caller.apiKeyId, caller.membershipVersion ?? 0);
      if (!key) throw new AppError('UNAUTHENTICATED', { detail: 'The API key was revoked' });
      return;
    }
    const membership = await findMembership(deps.orm, caller.orgId, caller.userId);
    if (
      !membership ||
      membership.status !== 'active' ||
      (caller.membershipVersion ?? 0) < membership.version
    ) {
      throw new AppError('UNAUTHENTICATED', {
        detail: 'The membership changed or ended after this token was issued; log in again',
      });
    }
    // The role and permissions used are the stored ones (equal to the token's while its version holds).
    caller.role = membership.role;
    caller.permissions = [...membership.permissions];
  };
}

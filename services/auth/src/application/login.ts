/** Login with email and password. */
import { AppError, type LoginRequest, type TokenPair } from '@invoice/contracts';
import { inTransaction } from '@invoice/platform-db';
import { dummyPasswordHash, verifyPassword } from '../crypto/passwords.ts';
import { Membership } from '../db/index.ts';
import { findUserByEmail } from '../db/users.repository.ts';
import { normalizeEmail } from '../domain/email.ts';
import type { Deps } from '../deps.ts';
import { clearFailures, lockedForSeconds, LoginLockedError, recordFailure } from './login-throttle.ts';

export { LoginLockedError };
import { startFamily, tokenPair, type SessionSubject } from './sessions.ts';

/**
 * Checks the password first, then verification: a wrong email and a wrong password give the same
 * answer after the same work (a dummy hash is verified for unknown emails), so the response does not
 * tell whether an account exists. Only someone who knows the password learns it is unverified.
 */
export async function logIn(
  deps: Pick<Deps, 'config' | 'logger' | 'orm' | 'keys'>,
  input: LoginRequest,
  now = new Date(),
): Promise<TokenPair> {
  const em = deps.orm.em.fork();
  const email = normalizeEmail(input.email);
  const lockedFor = await lockedForSeconds(deps.orm, email, now);
  if (lockedFor > 0) throw new LoginLockedError(lockedFor);
  const user = await findUserByEmail(em, email);
  const matches = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
  if (!user || !matches) {
    await recordFailure(deps.orm, deps.config, email, now);
    throw new AppError('INVALID_CREDENTIALS');
  }
  await clearFailures(deps.orm, email);
  if (!user.emailVerifiedAt) throw new AppError('EMAIL_NOT_VERIFIED');

  // The organization asked for, or the oldest active membership. Pending and deactivated memberships
  // give no session (a pending member cannot act until approved).
  const membership = await em.findOne(
    Membership,
    {
      userId: user.id,
      status: 'active',
      ...(input.organizationId ? { organizationId: input.organizationId } : {}),
    },
    { orderBy: { createdAt: 'asc' } },
  );
  if (!membership) {
    const pending = await em.count(Membership, { userId: user.id, status: 'pending' });
    if (pending > 0 && !input.organizationId) throw new AppError('MEMBERSHIP_PENDING');
    throw new AppError('FORBIDDEN', { detail: 'The account has no active membership in that organization' });
  }
  const subject: SessionSubject = {
    userId: user.id,
    organizationId: membership.organizationId,
    role: membership.role,
    permissions: [...membership.permissions],
    membershipVersion: membership.version,
  };
  const refreshToken = await inTransaction(deps.orm, (tx) => startFamily(tx, deps, subject, now));
  deps.logger.info({ userId: user.id, organizationId: subject.organizationId }, 'logged in');
  return tokenPair(deps, subject, refreshToken, now);
}

/**
 * Issues a new session for another organization the caller is an active member of (the current
 * session stays). Another organization, or one the caller is not active in, is 404.
 */
export async function switchOrganization(
  deps: Pick<Deps, 'config' | 'logger' | 'orm' | 'keys'>,
  userId: string,
  organizationId: string,
  now = new Date(),
): Promise<TokenPair> {
  const membership = await deps.orm.em
    .fork()
    .findOne(Membership, { userId, organizationId, status: 'active' });
  if (!membership)
    throw new AppError('NOT_FOUND', { detail: 'You are not an active member of that organization' });
  const subject: SessionSubject = {
    userId,
    organizationId,
    role: membership.role,
    permissions: [...membership.permissions],
    membershipVersion: membership.version,
  };
  const refreshToken = await inTransaction(deps.orm, (tx) => startFamily(tx, deps, subject, now));
  deps.logger.info({ userId, organizationId }, 'switched organization');
  return tokenPair(deps, subject, refreshToken, now);
}

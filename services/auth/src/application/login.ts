/** Login with email and password. */
import { AppError, type LoginRequest, type TokenPair } from '@invoice/contracts';
import { inTransaction } from '@invoice/platform-db';
import { dummyPasswordHash, verifyPassword } from '../crypto/passwords.ts';
import { Membership } from '../db/index.ts';
import { findUserByEmail } from '../db/users.repository.ts';
import { normalizeEmail } from '../domain/email.ts';
import type { Deps } from '../deps.ts';
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
  const user = await findUserByEmail(em, normalizeEmail(input.email));
  const matches = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
  if (!user || !matches) throw new AppError('INVALID_CREDENTIALS');
  if (!user.emailVerifiedAt) throw new AppError('EMAIL_NOT_VERIFIED');

  // One organization per user for now: the oldest active membership. Choosing among several is a
  // later addition (an `organizationId` in the body).
  const membership = await em.findOne(
    Membership,
    { userId: user.id, status: 'active' },
    { orderBy: { createdAt: 'asc' } },
  );
  if (!membership) throw new AppError('FORBIDDEN', { detail: 'The account has no active membership yet' });
  const subject: SessionSubject = {
    userId: user.id,
    organizationId: membership.organizationId,
    role: membership.role,
    permissions: [...membership.permissions],
  };
  const refreshToken = await inTransaction(deps.orm, (tx) => startFamily(tx, deps, subject, now));
  deps.logger.info({ userId: user.id, organizationId: subject.organizationId }, 'logged in');
  return tokenPair(deps, subject, refreshToken, now);
}

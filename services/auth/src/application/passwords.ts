/**
 * Password reset, password change, resending the verification email and "log out everywhere".
 * The routes that take an email answer the same whether an account exists or not.
 */
import {
  AppError,
  createEnvelope,
  newId,
  Subjects,
  type EmailVerificationRequested,
  type PasswordChanged,
  type PasswordResetConfirm,
  type PasswordResetRequested,
} from '@invoice/contracts';
import { inTransaction, type EntityManager } from '@invoice/platform-db';
import { enqueueEvent } from '@invoice/platform-outbox';
import { LockMode, type InferEntity } from '@mikro-orm/core';
import { hashPassword, verifyPassword } from '../crypto/passwords.ts';
import { hashToken, newOpaqueToken, secondsAfter } from '../crypto/opaque-token.ts';
import { tokenForBus } from '../crypto/bus-token.ts';
import { EmailVerificationToken, Membership, PasswordResetToken, User } from '../db/index.ts';
import { findUserByEmail } from '../db/users.repository.ts';
import { normalizeEmail } from '../domain/email.ts';
import type { Deps } from '../deps.ts';
import { checkPasswordThrottled } from './login-throttle.ts';
import { endSessions } from './membership-changes.ts';
import { EMAIL_VERIFICATION_TTL_SECONDS, rejectWeakPassword } from './signup.ts';

/** Reset links are valid for an hour. */
export const PASSWORD_RESET_TTL_SECONDS = 60 * 60;
/**
 * At most this many reset (or verification) emails per address and hour; further requests are
 * answered alike and send nothing, so the routes cannot be used to flood a mailbox.
 */
export const MAX_LINK_EMAILS_PER_HOUR = 5;

async function sentInLastHour(
  em: EntityManager,
  entity: typeof PasswordResetToken | typeof EmailVerificationToken,
  userId: string,
  now: Date,
): Promise<number> {
  return em.count(entity, { userId, createdAt: { $gt: new Date(now.getTime() - 60 * 60 * 1000) } });
}

type UserRow = InferEntity<typeof User>;

/** Requests a reset email when the address has an account; the answer is the same either way. */
export async function requestPasswordReset(
  deps: Pick<Deps, 'orm' | 'logger'>,
  email: string,
  now = new Date(),
): Promise<void> {
  await inTransaction(deps.orm, async (em) => {
    const user = await findUserByEmail(em, normalizeEmail(email));
    if (!user) return;
    if ((await sentInLastHour(em, PasswordResetToken, user.id, now)) >= MAX_LINK_EMAILS_PER_HOUR) return;
    // Earlier links stop working: only the newest reset email counts.
    await em.nativeUpdate(PasswordResetToken, { userId: user.id, usedAt: null }, { usedAt: now });
    const token = newOpaqueToken();
    const expiresAt = secondsAfter(now, PASSWORD_RESET_TTL_SECONDS);
    em.create(PasswordResetToken, { id: newId(), userId: user.id, tokenHash: hashToken(token), expiresAt });
    await em.flush();
    await userEvent<PasswordResetRequested>(em, Subjects.PasswordResetRequested, user, {
      userId: user.id,
      email: user.email,
      name: user.name,
      token: tokenForBus(token),
      expiresAt: expiresAt.toISOString(),
    });
  });
}

/**
 * Sets a new password with a reset token (single use, expiring). Every session of the user ends,
 * in every organization (refresh families revoked, access tokens refused from the next request).
 * The token proves the mailbox, so an unverified address becomes verified.
 */
export async function confirmPasswordReset(
  deps: Pick<Deps, 'orm' | 'logger'>,
  input: PasswordResetConfirm,
  now = new Date(),
): Promise<void> {
  rejectWeakPassword(input.password);
  const passwordHash = await hashPassword(input.password);
  const userId = await inTransaction(deps.orm, async (em) => {
    const row = await em.findOne(
      PasswordResetToken,
      { tokenHash: hashToken(input.token) },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!row || row.usedAt || row.expiresAt.getTime() <= now.getTime()) {
      throw new AppError('TOKEN_INVALID', { detail: 'The reset link is invalid, expired or already used' });
    }
    row.usedAt = now;
    const user = await em.findOneOrFail(User, { id: row.userId });
    user.passwordHash = passwordHash;
    user.emailVerifiedAt ??= now;
    await em.flush();
    await passwordChanged(em, user, 'reset', now);
    return user.id;
  });
  deps.logger.info({ userId }, 'password reset; every session ended');
}

/**
 * Changes the caller's password after checking the current one. Every session of the user ends
 * (the caller logs in again with the new password).
 */
export async function changePassword(
  deps: Pick<Deps, 'orm' | 'logger' | 'config'>,
  userId: string,
  currentPassword: string,
  newPassword: string,
  now = new Date(),
): Promise<void> {
  const user = await deps.orm.em.fork().findOne(User, { id: userId });
  if (!user || !(await checkPasswordThrottled(deps, user, currentPassword, now))) {
    throw AppError.field('INVALID_CREDENTIALS', '/currentPassword', 'the current password is not correct');
  }
  rejectWeakPassword(newPassword);
  if (await verifyPassword(user.passwordHash, newPassword)) {
    throw AppError.field('VALIDATION_FAILED', '/newPassword', 'must differ from the current password');
  }
  const passwordHash = await hashPassword(newPassword);
  await inTransaction(deps.orm, async (em) => {
    const row = await em.findOneOrFail(User, { id: userId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    row.passwordHash = passwordHash;
    await em.flush();
    await passwordChanged(em, row, 'change', now);
  });
  deps.logger.info({ userId }, 'password changed; every session ended');
}

/** Ends every session of the user in every organization ("log out everywhere"). */
export async function logOutEverywhere(
  deps: Pick<Deps, 'orm' | 'logger'>,
  userId: string,
  now = new Date(),
): Promise<void> {
  await inTransaction(deps.orm, (em) => endSessions(em, userId, 'logout-everywhere', { now }));
  deps.logger.info({ userId }, 'logged out everywhere');
}

/** Sends a new verification link to an unverified account; the answer is the same either way. */
export async function resendVerification(
  deps: Pick<Deps, 'orm' | 'logger'>,
  email: string,
  now = new Date(),
): Promise<void> {
  await inTransaction(deps.orm, async (em) => {
    const user = await findUserByEmail(em, normalizeEmail(email));
    if (!user || user.emailVerifiedAt) return;
    if ((await sentInLastHour(em, EmailVerificationToken, user.id, now)) >= MAX_LINK_EMAILS_PER_HOUR) return;
    await requestVerification(em, user, now);
  });
}

/** Invalidates earlier verification links and writes a new one (in the caller's transaction). */
export async function requestVerification(em: EntityManager, user: UserRow, now: Date): Promise<void> {
  await em.nativeUpdate(EmailVerificationToken, { userId: user.id, usedAt: null }, { usedAt: now });
  const token = newOpaqueToken();
  const expiresAt = secondsAfter(now, EMAIL_VERIFICATION_TTL_SECONDS);
  em.create(EmailVerificationToken, { id: newId(), userId: user.id, tokenHash: hashToken(token), expiresAt });
  await em.flush();
  await userEvent<EmailVerificationRequested>(em, Subjects.EmailVerificationRequested, user, {
    userId: user.id,
    email: user.email,
    name: user.name,
    token: tokenForBus(token),
    expiresAt: expiresAt.toISOString(),
  });
}

async function passwordChanged(em: EntityManager, user: UserRow, via: 'change' | 'reset', now: Date) {
  await endSessions(em, user.id, `password-${via}`, { now });
  await userEvent<PasswordChanged>(em, Subjects.PasswordChanged, user, {
    userId: user.id,
    name: user.name,
    email: user.email,
    changedAt: now.toISOString(),
    via,
  });
}

/** An event about a user, filed under the user's first organization (envelopes carry one). */
async function userEvent<T>(em: EntityManager, type: string, user: UserRow, data: T): Promise<void> {
  const membership = await em.findOne(Membership, { userId: user.id }, { orderBy: { createdAt: 'asc' } });
  const orgId = membership?.organizationId ?? user.id;
  await enqueueEvent(em, createEnvelope({ type, source: 'auth', orgId, subject: user.id, data }));
}

/** Sign-up: a new organization with its owner, unverified, and a verification email requested. */
import {
  AppError,
  createEnvelope,
  newId,
  Subjects,
  type EmailVerificationRequested,
  type Organization as OrganizationSnapshot,
  type OrganizationUpdated,
  type SignupRequest,
  type SignupResponse,
  type UserRegistered,
} from '@invoice/contracts';
import { inTransaction, type EntityManager } from '@invoice/platform-db';
import { enqueueEvent } from '@invoice/platform-outbox';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { hashPassword } from '../crypto/passwords.ts';
import { hashToken, newOpaqueToken, secondsAfter } from '../crypto/opaque-token.ts';
import { EmailVerificationToken, Membership, Organization, User } from '../db/index.ts';
import { normalizeEmail } from '../domain/email.ts';
import { passwordProblem } from '../domain/password-policy.ts';
import { OWNER_PERMISSIONS, OWNER_ROLE } from '../domain/permissions.ts';
import type { Deps } from '../deps.ts';
import { toOrganizationSnapshot } from './organization-snapshot.ts';

/** Verification links are valid for a day. */
export const EMAIL_VERIFICATION_TTL_SECONDS = 24 * 60 * 60;

/**
 * Creates organization, owner and membership and writes `user.registered`,
 * `organization.updated` (version 1) and `email-verification.requested` in one transaction.
 */
export async function signUp(
  deps: Pick<Deps, 'orm' | 'logger'>,
  input: SignupRequest,
  now = new Date(),
): Promise<SignupResponse> {
  rejectWeakPassword(input.password);
  const account: NewAccount = {
    organizationName: input.organizationName.trim(),
    name: input.name.trim(),
    email: normalizeEmail(input.email),
    passwordHash: await hashPassword(input.password), // before the transaction: it takes tens of ms
    verificationToken: newOpaqueToken(),
  };
  let ids: { userId: string; organizationId: string };
  try {
    ids = await inTransaction(deps.orm, (em) => createAccount(em, account, now));
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      throw AppError.field('EMAIL_TAKEN', '/email', 'an account with this email already exists');
    }
    throw error;
  }
  deps.logger.info(ids, 'organization signed up');
  return { ...ids, email: account.email, emailVerified: false };
}

/** Throws 400 VALIDATION_FAILED on `/password` when the password breaks the policy. */
export function rejectWeakPassword(password: string): void {
  const problem = passwordProblem(password);
  if (problem) throw AppError.field('VALIDATION_FAILED', '/password', `password ${problem}`);
}

interface NewAccount {
  organizationName: string;
  name: string;
  email: string;
  passwordHash: string;
  verificationToken: string;
}

async function createAccount(
  em: EntityManager,
  account: NewAccount,
  now: Date,
): Promise<{ userId: string; organizationId: string }> {
  const organization = em.create(Organization, { id: newId(), name: account.organizationName, version: 1 });
  const user = em.create(User, {
    id: newId(),
    email: account.email,
    name: account.name,
    passwordHash: account.passwordHash,
  });
  em.create(Membership, {
    id: newId(),
    organizationId: organization.id,
    userId: user.id,
    role: OWNER_ROLE,
    permissions: [...OWNER_PERMISSIONS],
    status: 'active',
  });
  const expiresAt = secondsAfter(now, EMAIL_VERIFICATION_TTL_SECONDS);
  const tokenHash = hashToken(account.verificationToken);
  em.create(EmailVerificationToken, { id: newId(), userId: user.id, tokenHash, expiresAt });
  await em.flush(); // a duplicate email fails here, before any event is written

  await enqueueSignupEvents(em, {
    organization: toOrganizationSnapshot(organization),
    user: { userId: user.id, organizationId: organization.id, email: user.email, name: user.name },
    verification: {
      userId: user.id,
      email: user.email,
      name: user.name,
      token: account.verificationToken,
      expiresAt: expiresAt.toISOString(),
    },
  });
  return { userId: user.id, organizationId: organization.id };
}

/** The three sign-up events, in the caller's transaction. */
async function enqueueSignupEvents(
  em: EntityManager,
  data: {
    organization: OrganizationSnapshot;
    user: UserRegistered;
    verification: EmailVerificationRequested;
  },
): Promise<void> {
  const orgId = data.organization.id;
  const event = <T>(type: string, subject: string, payload: T) =>
    enqueueEvent(em, createEnvelope({ type, source: 'auth', orgId, subject, data: payload }));
  await event(Subjects.UserRegistered, data.user.userId, data.user);
  await event<OrganizationUpdated>(Subjects.OrganizationUpdated, orgId, { organization: data.organization });
  await event(Subjects.EmailVerificationRequested, data.verification.userId, data.verification);
}

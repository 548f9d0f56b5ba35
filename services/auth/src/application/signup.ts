/** Sign-up: a new organization with its owner, unverified, and a verification email requested. */
import {
  AppError,
  createEnvelope,
  newId,
  PermissionNames,
  Subjects,
  type EmailVerificationRequested,
  type Organization as OrganizationSnapshot,
  type OrganizationUpdated,
  type SignupRequest,
  type SignupExistingAccount,
  type SignupResponse,
  type UserRegistered,
} from '@invoice/contracts';
import { inTransaction, type EntityManager } from '@invoice/platform-db';
import { enqueueEvent } from '@invoice/platform-outbox';
import { UniqueConstraintViolationException, type InferEntity } from '@mikro-orm/core';
import { hashPassword } from '../crypto/passwords.ts';
import { hashToken, newOpaqueToken, secondsAfter } from '../crypto/opaque-token.ts';
import { tokenForBus } from '../crypto/bus-token.ts';
import { EmailVerificationToken, Membership, Organization, User } from '../db/index.ts';
import { findUserByEmail } from '../db/users.repository.ts';
import { normalizeEmail } from '../domain/email.ts';
import { passwordProblem } from '../domain/password-policy.ts';
import type { Deps } from '../deps.ts';
import { toOrganizationSnapshot } from './organization-snapshot.ts';
import { requestVerification } from './passwords.ts';

/** Verification links are valid for a day. */
export const EMAIL_VERIFICATION_TTL_SECONDS = 24 * 60 * 60;

/**
 * Creates organization, owner and membership and writes `user.registered`,
 * `organization.updated` (version 1) and `email-verification.requested` in one transaction. The
 * answer does not tell whether the address already had an account (see `tellOwner`).
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
    ids = await inTransaction(deps.orm, async (em) => {
      const existing = await findUserByEmail(em, account.email);
      if (!existing) return createAccount(em, account, now);
      if (!existing.emailVerifiedAt) return claimUnverified(em, existing, account, now);
      return tellOwner(em, existing);
    });
  } catch (error) {
    // Two sign-ups of one address at the same moment: the loser is answered like any taken address.
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    ids = { userId: newId(), organizationId: newId() };
  }
  deps.logger.info('sign-up accepted');
  return { ...ids, email: account.email, emailVerified: false };
}

/**
 * The address has a verified account: the answer looks like any sign-up (made-up ids, nothing
 * created), and the owner of the address is emailed instead, so the response reveals nothing.
 */
async function tellOwner(
  em: EntityManager,
  user: { id: string; email: string; name: string },
): Promise<{ userId: string; organizationId: string }> {
  const membership = await em.findOne(Membership, { userId: user.id }, { orderBy: { createdAt: 'asc' } });
  const data: SignupExistingAccount = { userId: user.id, name: user.name, email: user.email };
  await enqueueEvent(
    em,
    createEnvelope({
      type: Subjects.SignupExistingAccount,
      source: 'auth',
      orgId: membership?.organizationId ?? user.id,
      subject: user.id,
      data,
    }),
  );
  return { userId: newId(), organizationId: newId() };
}

/**
 * The address has an account nobody verified: whoever signs up now takes it over (name, password,
 * organization name) and gets a new verification link; earlier links stop working. Only the holder
 * of the mailbox can finish either sign-up, so nobody can squat an address.
 */
async function claimUnverified(
  em: EntityManager,
  user: InferEntity<typeof User>,
  account: NewAccount,
  now: Date,
): Promise<{ userId: string; organizationId: string }> {
  user.name = account.name;
  user.passwordHash = account.passwordHash;
  const membership = await em.findOne(
    Membership,
    { userId: user.id, role: 'owner' },
    { orderBy: { createdAt: 'asc' } },
  );
  let organizationId = membership?.organizationId;
  if (membership) {
    const organization = await em.findOneOrFail(Organization, { id: membership.organizationId });
    if (organization.name !== account.organizationName) {
      organization.name = account.organizationName;
      organization.version += 1;
      await em.flush();
      await enqueueEvent(
        em,
        createEnvelope({
          type: Subjects.OrganizationUpdated,
          source: 'auth',
          orgId: organization.id,
          subject: organization.id,
          data: { organization: toOrganizationSnapshot(organization) } satisfies OrganizationUpdated,
        }),
      );
    }
  } else {
    const created = await createOrganizationFor(em, user.id, account.organizationName);
    organizationId = created;
  }
  await em.flush();
  await requestVerification(em, user, now);
  return { userId: user.id, organizationId: organizationId! };
}

async function createOrganizationFor(em: EntityManager, userId: string, name: string): Promise<string> {
  const organization = em.create(Organization, { id: newId(), name, version: 1 });
  em.create(Membership, {
    id: newId(),
    organizationId: organization.id,
    userId,
    role: 'owner',
    permissions: [...PermissionNames],
    status: 'active',
    version: 1,
  });
  await em.flush();
  await enqueueEvent(
    em,
    createEnvelope({
      type: Subjects.OrganizationUpdated,
      source: 'auth',
      orgId: organization.id,
      subject: organization.id,
      data: { organization: toOrganizationSnapshot(organization) } satisfies OrganizationUpdated,
    }),
  );
  return organization.id;
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
    role: 'owner',
    permissions: [...PermissionNames],
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
      token: tokenForBus(account.verificationToken),
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

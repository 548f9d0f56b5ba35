/**
 * Invitations: an admin invites an address; the emailed single-use token (stored as SHA-256,
 * valid INVITATION_TTL) lets its holder join, as a new user or with their existing account.
 */
import {
  AppError,
  createEnvelope,
  newId,
  PermissionNames,
  Subjects,
  type AcceptInvitationRequest,
  type AcceptInvitationResponse,
  type Invitation as InvitationView,
  type InvitationAccepted,
  type InvitationCreateRequest,
  type InvitationCreated,
  type InvitationRevoked,
  type MemberApprovalRequested,
  type Permission,
  type UserRegistered,
} from '@invoice/contracts';
import { inTransaction, type EntityManager, type MikroORM } from '@invoice/platform-db';
import { enqueueEvent } from '@invoice/platform-outbox';
import { LockMode, type InferEntity } from '@mikro-orm/core';
import { hashPassword } from '../crypto/passwords.ts';
import { hashToken, newOpaqueToken, secondsAfter } from '../crypto/opaque-token.ts';
import { tokenForBus } from '../crypto/bus-token.ts';
import { Invitation, Membership, Organization, User } from '../db/index.ts';
import { findUserByEmail } from '../db/users.repository.ts';
import { normalizeEmail } from '../domain/email.ts';
import type { Deps } from '../deps.ts';
import { checkPasswordThrottled } from './login-throttle.ts';
import { announce } from './membership-changes.ts';
import { rejectWeakPassword } from './signup.ts';

/** Invitations are valid for a week. */
export const INVITATION_TTL_SECONDS = 7 * 24 * 60 * 60;

type InvitationRow = InferEntity<typeof Invitation>;

const notFound = () => new AppError('NOT_FOUND', { detail: 'No such invitation in this organization' });
const invalidToken = () =>
  new AppError('TOKEN_INVALID', { detail: 'The invitation is invalid, expired, revoked or already used' });

/** Creates an invitation (revoking an earlier open one to the same address) and requests its email. */
export async function createInvitation(
  deps: Pick<Deps, 'orm' | 'logger'>,
  organizationId: string,
  inviterId: string,
  input: InvitationCreateRequest,
  now = new Date(),
): Promise<InvitationView> {
  const email = normalizeEmail(input.email);
  const view = await inTransaction(deps.orm, async (em) => {
    const organization = await em.findOneOrFail(
      Organization,
      { id: organizationId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    const existing = await findUserByEmail(em, email);
    if (existing) {
      const membership = await em.findOne(Membership, { organizationId, userId: existing.id });
      if (membership && membership.status !== 'deactivated') {
        throw AppError.field('ALREADY_MEMBER', '/email', 'this person is already a member');
      }
    }
    const open = await em.find(Invitation, { organizationId, email, acceptedAt: null, revokedAt: null });
    for (const row of open) row.revokedAt = now;
    const token = newOpaqueToken();
    const row = em.create(Invitation, {
      id: newId(),
      organizationId,
      email,
      role: input.role ?? 'member',
      permissions: PermissionNames.filter((name) => (input.permissions ?? []).includes(name)) as Permission[],
      tokenHash: hashToken(token),
      invitedBy: inviterId,
      expiresAt: secondsAfter(now, INVITATION_TTL_SECONDS),
    });
    await em.flush();
    await enqueueInvitationEmail(em, row, organization.name, inviterId, token);
    return toView(row, now);
  });
  deps.logger.info({ organizationId, invitationId: view.id }, 'invitation created');
  return view;
}

/** Every invitation of the organization, newest first. */
export async function listInvitations(orm: MikroORM, organizationId: string, now = new Date()) {
  const rows = await orm.em
    .fork()
    .find(Invitation, { organizationId }, { orderBy: { createdAt: 'desc', id: 'asc' }, limit: 500 });
  return rows.map((row) => toView(row, now));
}

/** Revokes an open invitation (its link stops working); revoking twice is harmless. */
export async function revokeInvitation(
  deps: Pick<Deps, 'orm' | 'logger'>,
  organizationId: string,
  actorId: string,
  invitationId: string,
  now = new Date(),
): Promise<void> {
  await inTransaction(deps.orm, async (em) => {
    const row = await em.findOne(
      Invitation,
      { id: invitationId, organizationId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!row) throw notFound();
    if (row.revokedAt || row.acceptedAt) return;
    row.revokedAt = now;
    await em.flush();
    const data: InvitationRevoked = {
      invitationId: row.id,
      organizationId,
      email: row.email,
      revokedBy: actorId,
    };
    await enqueueEvent(
      em,
      createEnvelope({
        type: Subjects.InvitationRevoked,
        source: 'auth',
        orgId: organizationId,
        subject: row.id,
        data,
      }),
    );
  });
}

/**
 * Sends the invitation again with a new token and a new expiry (the old link stops working). A
 * revoked or accepted invitation cannot be resent (409 would hide nothing; it is TOKEN_INVALID).
 */
export async function resendInvitation(
  deps: Pick<Deps, 'orm' | 'logger'>,
  organizationId: string,
  actorId: string,
  invitationId: string,
  now = new Date(),
): Promise<InvitationView> {
  return inTransaction(deps.orm, async (em) => {
    const row = await em.findOne(
      Invitation,
      { id: invitationId, organizationId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!row) throw notFound();
    if (row.revokedAt || row.acceptedAt) {
      throw new AppError('TOKEN_INVALID', { detail: 'A revoked or accepted invitation cannot be resent' });
    }
    const token = newOpaqueToken();
    row.tokenHash = hashToken(token);
    row.expiresAt = secondsAfter(now, INVITATION_TTL_SECONDS);
    await em.flush();
    const organization = await em.findOneOrFail(Organization, { id: organizationId });
    await enqueueInvitationEmail(em, row, organization.name, actorId, token);
    return toView(row, now);
  });
}

/**
 * Accepts an invitation. An address without an account gets one (verified: the token proves the
 * mailbox) named `name` with `password`; an existing account proves itself with its password. The
 * membership is pending when the organization requires approval (its owners and admins are emailed),
 * active otherwise.
 */
export async function acceptInvitation(
  deps: Pick<Deps, 'orm' | 'logger' | 'config'>,
  input: AcceptInvitationRequest,
  now = new Date(),
): Promise<AcceptInvitationResponse> {
  const tokenHash = hashToken(input.token);
  // Looked up first so that a new user's password hash is computed outside the transaction.
  const peek = await deps.orm.em.fork().findOne(Invitation, { tokenHash });
  if (!peek || !isOpen(peek, now)) throw invalidToken();
  const existing = await findUserByEmail(deps.orm.em.fork(), peek.email);
  let newPasswordHash: string | undefined;
  if (existing) {
    if (!(await checkPasswordThrottled(deps, existing, input.password, now))) {
      throw new AppError('INVALID_CREDENTIALS');
    }
  } else {
    if (!input.name) throw AppError.field('VALIDATION_FAILED', '/name', 'a new account needs a name');
    rejectWeakPassword(input.password);
    newPasswordHash = await hashPassword(input.password);
  }

  const result = await inTransaction(deps.orm, async (em) => {
    const invitation = await em.findOne(Invitation, { tokenHash }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!invitation || !isOpen(invitation, now)) throw invalidToken();
    const organization = await em.findOneOrFail(Organization, { id: invitation.organizationId });
    let user = await findUserByEmail(em, invitation.email);
    let created = false;
    if (!user) {
      if (!newPasswordHash || !input.name) throw invalidToken(); // the account appeared meanwhile
      user = em.create(User, {
        id: newId(),
        email: invitation.email,
        name: input.name.trim(),
        passwordHash: newPasswordHash,
        emailVerifiedAt: now,
      });
      created = true;
    } else {
      user.emailVerifiedAt ??= now;
    }
    const status = organization.requireMemberApproval ? 'pending' : 'active';
    let membership = await em.findOne(Membership, { organizationId: organization.id, userId: user.id });
    if (membership && membership.status !== 'deactivated') {
      throw new AppError('ALREADY_MEMBER', { detail: 'You are already a member of this organization' });
    }
    if (membership) {
      // A former member comes back with the invitation's role and permissions.
      membership.role = invitation.role;
      membership.permissions = [...invitation.permissions];
      membership.status = status;
      membership.deactivatedAt = null;
      membership.approvedAt = null;
      membership.approvedBy = null;
      membership.version += 1;
    } else {
      membership = em.create(Membership, {
        id: newId(),
        organizationId: organization.id,
        userId: user.id,
        role: invitation.role,
        permissions: [...invitation.permissions],
        status,
        version: 1,
      });
    }
    invitation.acceptedAt = now;
    invitation.acceptedBy = user.id;
    await em.flush();

    const event = <T>(type: string, subject: string, data: T) =>
      enqueueEvent(em, createEnvelope({ type, source: 'auth', orgId: organization.id, subject, data }));
    if (created) {
      await event<UserRegistered>(Subjects.UserRegistered, user.id, {
        userId: user.id,
        organizationId: organization.id,
        email: user.email,
        name: user.name,
      });
    }
    await event<InvitationAccepted>(Subjects.InvitationAccepted, invitation.id, {
      invitationId: invitation.id,
      organizationId: organization.id,
      userId: user.id,
      email: user.email,
      status,
    });
    await announce(em, membership, 'invitation-accepted');
    if (status === 'pending') {
      await event<MemberApprovalRequested>(Subjects.MemberApprovalRequested, user.id, {
        organizationId: organization.id,
        organizationName: organization.name,
        member: { userId: user.id, name: user.name, email: user.email },
        approvers: await approvers(em, organization.id),
      });
    }
    return { userId: user.id, organizationId: organization.id, status } as const;
  });
  deps.logger.info({ organizationId: result.organizationId, userId: result.userId }, 'invitation accepted');
  return result;
}

/** The active owners and admins of an organization (who may approve new members). */
async function approvers(em: EntityManager, organizationId: string) {
  const memberships = await em.find(Membership, {
    organizationId,
    status: 'active',
    role: { $in: ['owner', 'admin'] },
  });
  const users = await em.find(User, { id: { $in: memberships.map((m) => m.userId) } });
  return users.map((user) => ({ name: user.name, email: user.email }));
}

async function enqueueInvitationEmail(
  em: EntityManager,
  row: InvitationRow,
  organizationName: string,
  inviterId: string,
  token: string,
): Promise<void> {
  const inviter = await em.findOne(User, { id: inviterId });
  const data: InvitationCreated = {
    invitationId: row.id,
    organizationId: row.organizationId,
    organizationName,
    email: row.email,
    role: row.role,
    permissions: [...row.permissions],
    invitedBy: { userId: inviterId, name: inviter?.name ?? organizationName },
    token: tokenForBus(token),
    expiresAt: row.expiresAt.toISOString(),
  };
  await enqueueEvent(
    em,
    createEnvelope({
      type: Subjects.InvitationCreated,
      source: 'auth',
      orgId: row.organizationId,
      subject: row.id,
      data,
    }),
  );
}

function isOpen(row: InvitationRow, now: Date): boolean {
  return !row.acceptedAt && !row.revokedAt && row.expiresAt.getTime() > now.getTime();
}

function toView(row: InvitationRow, now: Date): InvitationView {
  const status = row.acceptedAt
    ? 'accepted'
    : row.revokedAt
      ? 'revoked'
      : row.expiresAt.getTime() <= now.getTime()
        ? 'expired'
        : 'pending';
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    permissions: [...row.permissions],
    status,
    invitedBy: row.invitedBy,
    expiresAt: row.expiresAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
  };
}

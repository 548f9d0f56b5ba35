/** The members of the caller's organization: list, change role/permissions, approve, deactivate. */
import {
  AppError,
  createEnvelope,
  PermissionNames,
  Subjects,
  type Member,
  type MemberActivated,
  type MemberPatch,
  type Permission,
} from '@invoice/contracts';
import { inTransaction, type EntityManager, type MikroORM } from '@invoice/platform-db';
import { enqueueEvent } from '@invoice/platform-outbox';
import { LockMode } from '@mikro-orm/core';
import { Membership, Organization, User } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import { endSessions, membershipChanged, type MembershipRow } from './membership-changes.ts';

const notFound = () => new AppError('NOT_FOUND', { detail: 'No such member in this organization' });

/** The membership row of a user in an organization (whatever its status), or null. */
export function findMembership(
  orm: MikroORM,
  organizationId: string,
  userId: string,
): Promise<MembershipRow | null> {
  return orm.em.fork().findOne(Membership, { organizationId, userId });
}

/** Every membership of the organization, oldest first (deactivated ones included, marked so). */
export async function listMembers(orm: MikroORM, organizationId: string): Promise<Member[]> {
  const em = orm.em.fork();
  const memberships = await em.find(
    Membership,
    { organizationId },
    { orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  const users = await em.find(User, { id: { $in: memberships.map((m) => m.userId) } });
  const byId = new Map(users.map((user) => [user.id, user]));
  return memberships.flatMap((membership) => {
    const user = byId.get(membership.userId);
    return user ? [toMember(membership, user)] : [];
  });
}

/** One member of the organization; another organization's member is 404. */
export async function getMember(orm: MikroORM, organizationId: string, userId: string): Promise<Member> {
  const em = orm.em.fork();
  const membership = await em.findOne(Membership, { organizationId, userId });
  const user = membership ? await em.findOne(User, { id: userId }) : null;
  if (!membership || !user) throw notFound();
  return toMember(membership, user);
}

/** Only an owner may make someone an owner, or change or remove an owner. */
function assertOwnerRules(actorRole: string, target: MembershipRow, newRole: string | undefined): void {
  if (actorRole === 'owner') return;
  if (target.role === 'owner' || newRole === 'owner') {
    throw new AppError('FORBIDDEN', { detail: 'Only an owner can give, change or remove the owner role' });
  }
}

/**
 * Changes role and permissions and/or approves a pending member. Only owners manage owners; the
 * last active owner cannot be demoted. A real change raises the membership version (the member's current tokens stop working);
 * an approval also writes `auth.member.activated.v1` (the activation email).
 */
export async function updateMember(
  deps: Pick<Deps, 'orm' | 'logger'>,
  organizationId: string,
  actor: { userId: string; role: string },
  userId: string,
  patch: MemberPatch,
  now = new Date(),
): Promise<Member> {
  const actorId = actor.userId;
  return inTransaction(deps.orm, async (em) => {
    const membership = await lockMembers(em, organizationId, userId);
    assertOwnerRules(actor.role, membership, patch.role);
    if (membership.status === 'deactivated') {
      throw new AppError('NOT_FOUND', { detail: 'The member was removed; invite them again' });
    }
    const reasons: string[] = [];
    if (patch.role !== undefined && patch.role !== membership.role) {
      if (membership.role === 'owner') await assertAnotherOwner(em, organizationId, userId);
      membership.role = patch.role;
      reasons.push('role');
    }
    if (patch.permissions !== undefined) {
      const next = PermissionNames.filter((name) => patch.permissions!.includes(name));
      if (next.join() !== [...membership.permissions].sort(byName).join()) {
        membership.permissions = next as Permission[];
        reasons.push('permissions');
      }
    }
    const approving = patch.approve === true && membership.status === 'pending';
    if (approving) {
      membership.status = 'active';
      membership.approvedAt = now;
      membership.approvedBy = actorId;
      reasons.push('approved');
    }
    const user = await em.findOneOrFail(User, { id: userId });
    if (reasons.length === 0) return toMember(membership, user);
    await membershipChanged(em, membership, reasons.join(','));
    if (approving) await enqueueActivated(em, membership, user, actorId);
    deps.logger.info({ organizationId, userId, changed: reasons }, 'member changed');
    return toMember(membership, user);
  });
}

/**
 * Deactivates a member (also how a member leaves): their sessions in this organization end at once,
 * what they created stays. The last active owner can neither leave nor be removed.
 */
export async function deactivateMember(
  deps: Pick<Deps, 'orm' | 'logger'>,
  organizationId: string,
  actor: { userId: string; role: string },
  userId: string,
  now = new Date(),
): Promise<void> {
  await inTransaction(deps.orm, async (em) => {
    const membership = await lockMembers(em, organizationId, userId);
    assertOwnerRules(actor.role, membership, undefined);
    if (membership.status === 'deactivated') return;
    if (membership.role === 'owner') await assertAnotherOwner(em, organizationId, userId);
    membership.status = 'deactivated';
    membership.deactivatedAt = now;
    await em.flush();
    // Revokes the refresh families of this organization and raises the version (writes the event).
    await endSessions(em, userId, 'deactivated', { organizationId, now });
  });
  deps.logger.info({ organizationId, userId }, 'member deactivated');
}

/**
 * Locks every membership row of the organization (in id order, so concurrent changes queue instead
 * of both passing the last-owner check) and returns the one of `userId`.
 */
async function lockMembers(
  em: EntityManager,
  organizationId: string,
  userId: string,
): Promise<MembershipRow> {
  const rows = await em.find(
    Membership,
    { organizationId },
    { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } },
  );
  const membership = rows.find((row) => row.userId === userId);
  if (!membership) throw notFound();
  return membership;
}

async function assertAnotherOwner(em: EntityManager, organizationId: string, userId: string): Promise<void> {
  const others = await em.count(Membership, {
    organizationId,
    role: 'owner',
    status: 'active',
    userId: { $ne: userId },
  });
  if (others === 0) {
    throw new AppError('LAST_OWNER', {
      detail: 'Make another member an owner first: the organization must keep an active owner',
    });
  }
}

async function enqueueActivated(
  em: EntityManager,
  membership: MembershipRow,
  user: { id: string; name: string; email: string },
  actorId: string,
): Promise<void> {
  const organization = await em.findOneOrFail(Organization, { id: membership.organizationId });
  const data: MemberActivated = {
    organizationId: organization.id,
    organizationName: organization.name,
    userId: user.id,
    name: user.name,
    email: user.email,
    approvedBy: actorId,
  };
  await enqueueEvent(
    em,
    createEnvelope({
      type: Subjects.MemberActivated,
      source: 'auth',
      orgId: organization.id,
      subject: user.id,
      data,
    }),
  );
}

const byName = (a: string, b: string) =>
  PermissionNames.indexOf(a as Permission) - PermissionNames.indexOf(b as Permission);

/** The public shape of a membership and its user. */
export function toMember(
  membership: MembershipRow,
  user: { id: string; email: string; name: string },
): Member {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: membership.role,
    permissions: [...membership.permissions].sort(byName) as Permission[],
    status: membership.status,
    joinedAt: membership.createdAt.toISOString(),
  };
}

/** The caller: user, organization, role and permissions as stored now. */
import { AppError, type MeResponse, type MyOrganizations, type Permission } from '@invoice/contracts';
import type { AuthContext } from '@invoice/platform-http';
import type { MikroORM } from '@invoice/platform-db';
import { Membership, Organization, User } from '../db/index.ts';

/** Reads the caller's profile; a token whose user or membership is gone is UNAUTHENTICATED. */
export async function describeCaller(orm: MikroORM, caller: AuthContext): Promise<MeResponse> {
  // Independent reads, so they run at once (each on its own fork: an EntityManager is not shared
  // between concurrent operations).
  const [user, organization, membership] = await Promise.all([
    orm.em.fork().findOne(User, { id: caller.userId }),
    orm.em.fork().findOne(Organization, { id: caller.orgId }),
    orm.em
      .fork()
      .findOne(Membership, { userId: caller.userId, organizationId: caller.orgId, status: 'active' }),
  ]);
  if (!user || !organization || !membership) {
    throw new AppError('UNAUTHENTICATED', { detail: 'The account behind this token no longer exists' });
  }
  return {
    user: { id: user.id, email: user.email, name: user.name, emailVerified: user.emailVerifiedAt != null },
    organization: { id: organization.id, name: organization.name },
    role: membership.role,
    permissions: [...membership.permissions] as Permission[],
  };
}

/** The organizations the caller is an active or pending member of, oldest membership first. */
export async function myOrganizations(orm: MikroORM, caller: AuthContext): Promise<MyOrganizations> {
  const em = orm.em.fork();
  const memberships = await em.find(
    Membership,
    { userId: caller.userId, status: { $in: ['active', 'pending'] } },
    { orderBy: { createdAt: 'asc' } },
  );
  const organizations = await em.find(Organization, {
    id: { $in: memberships.map((m) => m.organizationId) },
  });
  const names = new Map(organizations.map((organization) => [organization.id, organization.name]));
  return {
    items: memberships.map((membership) => ({
      id: membership.organizationId,
      name: names.get(membership.organizationId) ?? '',
      role: membership.role,
      status: membership.status,
      current: membership.organizationId === caller.orgId,
    })),
  };
}

import type { Permission, Role } from '@invoice/contracts';
import { defineEntity, p } from '@invoice/platform-db';

/** A user's place in an organization: role, permissions and whether it is active yet. */
export const Membership = defineEntity({
  name: 'Membership',
  tableName: 'memberships',
  properties: {
    id: p.uuid().primary(),
    organizationId: p.uuid().name('organization_id'),
    userId: p.uuid().name('user_id'),
    role: p.text().$type<Role>(),
    permissions: p.array<Permission>(),
    /** `pending` until an admin approves an invited member (not used by sign-up). */
    status: p.text().$type<'active' | 'pending'>(),
    createdAt: p
      .datetime()
      .name('created_at')
      .onCreate(() => new Date()),
  },
});

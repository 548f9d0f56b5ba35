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
    /** `pending` until an admin approves an invited member; `deactivated` once removed. */
    status: p.text().$type<'active' | 'pending' | 'deactivated'>(),
    /** Raised by every change; access tokens carry it as `mv` and older ones are refused. */
    version: p.integer().default(1),
    approvedAt: p.datetime().name('approved_at').nullable(),
    approvedBy: p.uuid().name('approved_by').nullable(),
    deactivatedAt: p.datetime().name('deactivated_at').nullable(),
    createdAt: p
      .datetime()
      .name('created_at')
      .onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .name('updated_at')
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

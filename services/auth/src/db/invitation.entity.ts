import type { Permission } from '@invoice/contracts';
import { defineEntity, p } from '@invoice/platform-db';

/** An invitation to join an organization; the emailed token is single-use and stored as SHA-256. */
export const Invitation = defineEntity({
  name: 'Invitation',
  tableName: 'invitations',
  properties: {
    id: p.uuid().primary(),
    organizationId: p.uuid().name('organization_id'),
    /** Lower-cased. */
    email: p.text(),
    role: p.text().$type<'admin' | 'member'>(),
    permissions: p.array<Permission>(),
    tokenHash: p.text().name('token_hash').unique().hidden(),
    invitedBy: p.uuid().name('invited_by'),
    expiresAt: p.datetime().name('expires_at'),
    acceptedAt: p.datetime().name('accepted_at').nullable(),
    acceptedBy: p.uuid().name('accepted_by').nullable(),
    revokedAt: p.datetime().name('revoked_at').nullable(),
    createdAt: p
      .datetime()
      .name('created_at')
      .onCreate(() => new Date()),
  },
});

import type { Permission } from '@invoice/contracts';
import { defineEntity, p } from '@invoice/platform-db';

/** An integrator's API key; only the SHA-256 of its secret is stored. */
export const ApiKey = defineEntity({
  name: 'ApiKey',
  tableName: 'api_keys',
  properties: {
    id: p.uuid().primary(),
    organizationId: p.uuid().name('organization_id'),
    name: p.text(),
    prefix: p.text(),
    secretHash: p.text().name('secret_hash').unique().hidden(),
    readOnly: p.boolean().name('read_only').default(false),
    permissions: p.array<Permission>(),
    createdBy: p.uuid().name('created_by'),
    /** Raised on revocation: tokens of the key carry it as `mv`. */
    version: p.integer().default(1),
    lastUsedAt: p.datetime().name('last_used_at').nullable(),
    revokedAt: p.datetime().name('revoked_at').nullable(),
    createdAt: p
      .datetime()
      .name('created_at')
      .onCreate(() => new Date()),
  },
});

import { defineEntity, p } from '@invoice/platform-db';

/**
 * A login session: every refresh token descends from one login. Revoking the family ends the
 * session everywhere; reuse of a rotated token revokes it (RFC 9700 §4.14.2).
 */
export const RefreshTokenFamily = defineEntity({
  name: 'RefreshTokenFamily',
  tableName: 'refresh_token_families',
  properties: {
    id: p.uuid().primary(),
    userId: p.uuid().name('user_id'),
    organizationId: p.uuid().name('organization_id'),
    revokedAt: p.datetime().name('revoked_at').nullable(),
    revokedReason: p.text().name('revoked_reason').nullable(),
    createdAt: p
      .datetime()
      .name('created_at')
      .onCreate(() => new Date()),
  },
});

/** One opaque refresh token (stored as SHA-256); `rotatedAt` is set when it was exchanged. */
export const RefreshToken = defineEntity({
  name: 'RefreshToken',
  tableName: 'refresh_tokens',
  properties: {
    id: p.uuid().primary(),
    familyId: p.uuid().name('family_id'),
    tokenHash: p.text().name('token_hash').unique(),
    expiresAt: p.datetime().name('expires_at'),
    rotatedAt: p.datetime().name('rotated_at').nullable(),
    createdAt: p
      .datetime()
      .name('created_at')
      .onCreate(() => new Date()),
  },
});

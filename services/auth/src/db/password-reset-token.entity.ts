import { defineEntity, p } from '@invoice/platform-db';

/** A one-time password reset token; only its SHA-256 is stored. */
export const PasswordResetToken = defineEntity({
  name: 'PasswordResetToken',
  tableName: 'password_reset_tokens',
  properties: {
    id: p.uuid().primary(),
    userId: p.uuid().name('user_id'),
    tokenHash: p.text().name('token_hash').unique(),
    expiresAt: p.datetime().name('expires_at'),
    usedAt: p.datetime().name('used_at').nullable(),
    createdAt: p
      .datetime()
      .name('created_at')
      .onCreate(() => new Date()),
  },
});

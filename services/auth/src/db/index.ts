import { outboxEntities } from '@invoice/platform-outbox';
import { ApiKey } from './api-key.entity.ts';
import { EmailVerificationToken } from './email-verification-token.entity.ts';
import { Invitation } from './invitation.entity.ts';
import { Membership } from './membership.entity.ts';
import { Organization } from './organization.entity.ts';
import { PasswordResetToken } from './password-reset-token.entity.ts';
import { RefreshToken, RefreshTokenFamily } from './refresh-token.entity.ts';
import { User } from './user.entity.ts';
import { migrations } from './migrations/index.ts';

/** Every entity of the auth schema. */
export const entities = [
  Organization,
  User,
  Membership,
  EmailVerificationToken,
  RefreshTokenFamily,
  RefreshToken,
  Invitation,
  PasswordResetToken,
  ApiKey,
  ...outboxEntities,
];

export { migrations };
export {
  Organization,
  User,
  Membership,
  EmailVerificationToken,
  RefreshTokenFamily,
  RefreshToken,
  Invitation,
  PasswordResetToken,
  ApiKey,
};

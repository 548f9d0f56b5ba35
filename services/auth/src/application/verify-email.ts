/** Email verification with a single-use token. */
import { AppError } from '@invoice/contracts';
import { inTransaction } from '@invoice/platform-db';
import { LockMode } from '@mikro-orm/core';
import { hashToken } from '../crypto/opaque-token.ts';
import { EmailVerificationToken, User } from '../db/index.ts';
import type { Deps } from '../deps.ts';

/** Marks the token's user verified; an unknown, expired or already used token is TOKEN_INVALID. */
export async function verifyEmail(
  deps: Pick<Deps, 'orm' | 'logger'>,
  token: string,
  now = new Date(),
): Promise<void> {
  const userId = await inTransaction(deps.orm, async (em) => {
    // The row lock makes "used once" hold when the same link is opened twice at the same moment.
    const row = await em.findOne(
      EmailVerificationToken,
      { tokenHash: hashToken(token) },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!row || row.usedAt || row.expiresAt.getTime() <= now.getTime()) {
      throw new AppError('TOKEN_INVALID', {
        detail: 'The verification link is invalid, expired or already used',
      });
    }
    row.usedAt = now;
    const user = await em.findOneOrFail(User, { id: row.userId });
    user.emailVerifiedAt ??= now;
    return user.id;
  });
  deps.logger.info({ userId }, 'email verified');
}

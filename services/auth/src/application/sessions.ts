/**
 * Login sessions: an access JWT plus an opaque refresh token that rotates on every use. Tokens of one
 * login form a family; presenting an already rotated token means it was stolen or replayed, so the
 * whole family is revoked (OAuth 2.0 Security BCP, RFC 9700 §4.14.2).
 */
import { AppError, newId, type TokenPair } from '@invoice/contracts';
import { inTransaction, type EntityManager } from '@invoice/platform-db';
import { LockMode } from '@mikro-orm/core';
import { signAccessToken } from '../crypto/access-tokens.ts';
import { hashToken, newOpaqueToken, secondsAfter } from '../crypto/opaque-token.ts';
import { Membership, RefreshToken, RefreshTokenFamily } from '../db/index.ts';
import type { Deps } from '../deps.ts';

/** A member as a token describes it. */
export interface SessionSubject {
  userId: string;
  organizationId: string;
  role: string;
  permissions: string[];
  membershipVersion: number;
}

const invalid = () =>
  new AppError('TOKEN_INVALID', { detail: 'The refresh token is invalid, expired or revoked' });

/** Starts a new family with its first refresh token (inside the caller's transaction). */
export async function startFamily(
  em: EntityManager,
  deps: Pick<Deps, 'config'>,
  subject: SessionSubject,
  now: Date,
): Promise<string> {
  const family = em.create(RefreshTokenFamily, {
    id: newId(),
    userId: subject.userId,
    organizationId: subject.organizationId,
  });
  return addRefreshToken(em, deps, family.id, now);
}

/** Signs the access token and shapes the pair returned to the client. */
export async function tokenPair(
  deps: Pick<Deps, 'config' | 'keys'>,
  subject: SessionSubject,
  refreshToken: string,
  now = new Date(),
): Promise<TokenPair> {
  const ttlSeconds = deps.config.ACCESS_TOKEN_TTL_SECONDS;
  const accessToken = await signAccessToken(
    await deps.keys.active(),
    {
      userId: subject.userId,
      orgId: subject.organizationId,
      role: subject.role,
      permissions: subject.permissions,
      membershipVersion: subject.membershipVersion,
    },
    { issuer: deps.config.JWT_ISSUER, audience: deps.config.JWT_AUDIENCE, ttlSeconds },
    now,
  );
  return { accessToken, refreshToken, expiresIn: ttlSeconds, tokenType: 'Bearer' };
}

type RotateOutcome =
  | { kind: 'rotated'; subject: SessionSubject; refreshToken: string }
  | { kind: 'invalid' }
  | { kind: 'reused'; familyId: string };

/** Exchanges a refresh token for a new pair; the old one becomes unusable. */
export async function refreshSession(
  deps: Pick<Deps, 'config' | 'logger' | 'orm' | 'keys'>,
  refreshToken: string,
  now = new Date(),
): Promise<TokenPair> {
  // The outcome is returned, not thrown, so a revocation for reuse commits before the error goes out.
  const outcome = await inTransaction(deps.orm, (em) => rotate(em, deps, hashToken(refreshToken), now));
  if (outcome.kind === 'reused') {
    deps.logger.warn({ familyId: outcome.familyId }, 'refresh token reused; session family revoked');
    throw invalid();
  }
  if (outcome.kind === 'invalid') throw invalid();
  return tokenPair(deps, outcome.subject, outcome.refreshToken, now);
}

async function rotate(
  em: EntityManager,
  deps: Pick<Deps, 'config'>,
  tokenHash: string,
  now: Date,
): Promise<RotateOutcome> {
  const token = await em.findOne(RefreshToken, { tokenHash }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!token) return { kind: 'invalid' };
  const family = await em.findOne(
    RefreshTokenFamily,
    { id: token.familyId },
    { lockMode: LockMode.PESSIMISTIC_WRITE },
  );
  if (!family || family.revokedAt) return { kind: 'invalid' };
  if (token.rotatedAt) {
    revoke(family, 'reuse', now);
    return { kind: 'reused', familyId: family.id };
  }
  if (token.expiresAt.getTime() <= now.getTime()) return { kind: 'invalid' };
  // Role and permissions are read again, so changes reach the next access token.
  const membership = await em.findOne(Membership, {
    userId: family.userId,
    organizationId: family.organizationId,
    status: 'active',
  });
  if (!membership) {
    revoke(family, 'membership-ended', now);
    return { kind: 'invalid' };
  }
  token.rotatedAt = now;
  const next = await addRefreshToken(em, deps, family.id, now);
  const subject = {
    userId: family.userId,
    organizationId: family.organizationId,
    role: membership.role,
    permissions: [...membership.permissions],
    membershipVersion: membership.version,
  };
  return { kind: 'rotated', subject, refreshToken: next };
}

/** Ends the session of a refresh token (its whole family). Unknown tokens are ignored. */
export async function logOut(
  deps: Pick<Deps, 'orm' | 'logger'>,
  refreshToken: string,
  now = new Date(),
): Promise<void> {
  const familyId = await inTransaction(deps.orm, async (em) => {
    const token = await em.findOne(RefreshToken, { tokenHash: hashToken(refreshToken) });
    if (!token) return undefined;
    const family = await em.findOne(
      RefreshTokenFamily,
      { id: token.familyId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!family || family.revokedAt) return undefined;
    revoke(family, 'logout', now);
    return family.id;
  });
  if (familyId) deps.logger.info({ familyId }, 'logged out');
}

async function addRefreshToken(
  em: EntityManager,
  deps: Pick<Deps, 'config'>,
  familyId: string,
  now: Date,
): Promise<string> {
  const raw = newOpaqueToken();
  const expiresAt = secondsAfter(now, deps.config.REFRESH_TOKEN_TTL_DAYS * 24 * 60 * 60);
  em.create(RefreshToken, { id: newId(), familyId, tokenHash: hashToken(raw), expiresAt });
  await em.flush();
  return raw;
}

function revoke(
  family: { revokedAt?: Date | null; revokedReason?: string | null },
  reason: string,
  now: Date,
): void {
  family.revokedAt = now;
  family.revokedReason = reason;
}

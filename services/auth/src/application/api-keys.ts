/**
 * API keys for integrators. A key is `ik_` + 256 random bits, shown once at creation and stored as
 * SHA-256. It is scoped: read-only (GET only) and/or a set of the four permissions, with the role
 * `member`. The gateway exchanges a presented key for a short-lived access token whose `sub` and
 * `akid` are the key's id, so every service treats it like any bearer token; revoking the key
 * announces a new version for it (`auth.membership.changed.v1`), so its tokens stop at once.
 */
import {
  AppError,
  createEnvelope,
  newId,
  PermissionNames,
  Subjects,
  type ApiKey as ApiKeyView,
  type ApiKeyCreatedEvent,
  type ApiKeyCreateRequest,
  type ApiKeyRevoked,
  type ApiKeyTokenResponse,
  type MembershipChanged,
  type Permission,
} from '@invoice/contracts';
import { inTransaction, type EntityManager, type MikroORM } from '@invoice/platform-db';
import { enqueueEvent } from '@invoice/platform-outbox';
import { LockMode, type InferEntity } from '@mikro-orm/core';
import { signAccessToken } from '../crypto/access-tokens.ts';
import { hashToken, newOpaqueToken } from '../crypto/opaque-token.ts';
import { ApiKey } from '../db/index.ts';
import type { Deps } from '../deps.ts';

/** Tokens standing for a key live at most this long (the gateway re-exchanges before). */
export const API_KEY_TOKEN_TTL_SECONDS = 300;
/** The last-used time is written at most this often per key. */
const LAST_USED_PRECISION_MS = 60_000;

type ApiKeyRow = InferEntity<typeof ApiKey>;

/** The prefix every key starts with (the gateway recognises keys by it). */
export const API_KEY_PREFIX = 'ik_';

/** Creates a key; the response is the only place its secret ever appears. */
export async function createApiKey(
  deps: Pick<Deps, 'orm' | 'logger'>,
  organizationId: string,
  actorId: string,
  input: ApiKeyCreateRequest,
): Promise<ApiKeyView & { key: string }> {
  const key = `${API_KEY_PREFIX}${newOpaqueToken()}`;
  const row = await inTransaction(deps.orm, async (em) => {
    const created = em.create(ApiKey, {
      id: newId(),
      organizationId,
      name: input.name.trim(),
      prefix: key.slice(0, 10),
      secretHash: hashToken(key),
      readOnly: input.readOnly ?? false,
      permissions: PermissionNames.filter((name) => (input.permissions ?? []).includes(name)) as Permission[],
      createdBy: actorId,
      version: 1,
    });
    await em.flush();
    await event<ApiKeyCreatedEvent>(em, Subjects.ApiKeyCreated, created, {
      apiKeyId: created.id,
      organizationId,
      name: created.name,
      readOnly: created.readOnly,
      permissions: [...created.permissions],
      createdBy: actorId,
    });
    return created;
  });
  deps.logger.info({ organizationId, apiKeyId: row.id }, 'api key created');
  return { ...toView(row), key };
}

/** The organization's keys, newest first (revoked ones included). */
export async function listApiKeys(orm: MikroORM, organizationId: string): Promise<ApiKeyView[]> {
  const rows = await orm.em
    .fork()
    .find(ApiKey, { organizationId }, { orderBy: { createdAt: 'desc', id: 'asc' }, limit: 500 });
  return rows.map(toView);
}

/** Revokes a key: its tokens are refused from the next request on. Revoking twice is harmless. */
export async function revokeApiKey(
  deps: Pick<Deps, 'orm' | 'logger'>,
  organizationId: string,
  actorId: string,
  apiKeyId: string,
  now = new Date(),
): Promise<void> {
  await inTransaction(deps.orm, async (em) => {
    const row = await em.findOne(
      ApiKey,
      { id: apiKeyId, organizationId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!row) throw new AppError('NOT_FOUND', { detail: 'No such API key in this organization' });
    if (row.revokedAt) return;
    row.revokedAt = now;
    row.version += 1;
    await em.flush();
    await event<ApiKeyRevoked>(em, Subjects.ApiKeyRevoked, row, {
      apiKeyId: row.id,
      organizationId,
      revokedBy: actorId,
    });
    await event<MembershipChanged>(em, Subjects.MembershipChanged, row, {
      organizationId,
      userId: row.id,
      version: row.version,
      role: 'member',
      permissions: [...row.permissions],
      status: 'deactivated',
      reason: 'api-key-revoked',
    });
  });
  deps.logger.info({ organizationId, apiKeyId }, 'api key revoked');
}

/** Exchanges a key for a short-lived access token; an unknown or revoked key is 401. */
export async function exchangeApiKey(
  deps: Pick<Deps, 'orm' | 'keys' | 'config'>,
  apiKey: string,
  now = new Date(),
): Promise<ApiKeyTokenResponse> {
  const em = deps.orm.em.fork();
  const row = await em.findOne(ApiKey, { secretHash: hashToken(apiKey) });
  if (!row || row.revokedAt)
    throw new AppError('UNAUTHENTICATED', { detail: 'The API key is invalid or revoked' });
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_PRECISION_MS) {
    await em.nativeUpdate(ApiKey, { id: row.id }, { lastUsedAt: now });
  }
  const ttlSeconds = Math.min(API_KEY_TOKEN_TTL_SECONDS, deps.config.ACCESS_TOKEN_TTL_SECONDS);
  const accessToken = await signAccessToken(
    await deps.keys.active(),
    {
      userId: row.id,
      orgId: row.organizationId,
      role: 'member',
      permissions: [...row.permissions],
      membershipVersion: row.version,
      apiKeyId: row.id,
      readOnly: row.readOnly,
    },
    { issuer: deps.config.JWT_ISSUER, audience: deps.config.JWT_AUDIENCE, ttlSeconds },
    now,
  );
  return { accessToken, expiresIn: ttlSeconds, tokenType: 'Bearer' };
}

/** The key behind a token, if it is still valid for it (auth's own routes check this). */
export async function activeApiKey(
  orm: MikroORM,
  organizationId: string,
  apiKeyId: string,
  tokenVersion: number,
): Promise<ApiKeyRow | null> {
  const row = await orm.em.fork().findOne(ApiKey, { id: apiKeyId, organizationId });
  return row && !row.revokedAt && row.version <= tokenVersion ? row : null;
}

async function event<T>(em: EntityManager, type: string, row: ApiKeyRow, data: T): Promise<void> {
  await enqueueEvent(
    em,
    createEnvelope({ type, source: 'auth', orgId: row.organizationId, subject: row.id, data }),
  );
}

function toView(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    readOnly: row.readOnly,
    permissions: [...row.permissions],
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

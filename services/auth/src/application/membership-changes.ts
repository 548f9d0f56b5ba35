/**
 * What every change of a membership does, in the caller's transaction: raise its version (tokens
 * issued before are refused by every service on the next request) and write
 * `auth.membership.changed.v1`; ending sessions also revokes the refresh families.
 */
import { createEnvelope, Subjects, type MembershipChanged } from '@invoice/contracts';
import { qualified, type EntityManager } from '@invoice/platform-db';
import { enqueueEvent } from '@invoice/platform-outbox';
import type { InferEntity } from '@mikro-orm/core';
import { Membership } from '../db/index.ts';

/** A membership row. */
export type MembershipRow = InferEntity<typeof Membership>;

/** Raises the version of a (changed) membership and writes the event; flushes first. */
export async function membershipChanged(
  em: EntityManager,
  membership: MembershipRow,
  reason: string,
): Promise<void> {
  membership.version += 1;
  await em.flush();
  await announce(em, membership, reason);
}

/** Writes `auth.membership.changed.v1` for a membership as it is now (e.g. just created). */
export async function announce(em: EntityManager, membership: MembershipRow, reason: string): Promise<void> {
  const data: MembershipChanged = {
    organizationId: membership.organizationId,
    userId: membership.userId,
    version: membership.version,
    role: membership.role,
    permissions: [...membership.permissions],
    status: membership.status,
    reason,
  };
  await enqueueEvent(
    em,
    createEnvelope({
      type: Subjects.MembershipChanged,
      source: 'auth',
      orgId: membership.organizationId,
      subject: membership.userId,
      data,
    }),
  );
}

/**
 * Ends every session of a user (in one organization, or in all): revokes the refresh families and
 * raises the version of each membership concerned, so access tokens stop working at once too.
 */
export async function endSessions(
  em: EntityManager,
  userId: string,
  reason: string,
  options: { organizationId?: string; now?: Date } = {},
): Promise<number> {
  const now = options.now ?? new Date();
  const families = qualified(em, 'refresh_token_families');
  const params: unknown[] = [now, reason, userId];
  let sql = `update ${families} set revoked_at = ?, revoked_reason = ? where user_id = ? and revoked_at is null`;
  if (options.organizationId) {
    sql += ' and organization_id = ?';
    params.push(options.organizationId);
  }
  const result = await em.execute(sql, params, 'run');
  const memberships = await em.find(
    Membership,
    options.organizationId ? { userId, organizationId: options.organizationId } : { userId },
  );
  for (const membership of memberships) await membershipChanged(em, membership, reason);
  return (result as { affectedRows?: number }).affectedRows ?? 0;
}

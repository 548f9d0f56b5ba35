/**
 * The hourly clean-up (the original system's cron): expired invitations, used or expired
 * verification and reset tokens, ended or expired refresh families, stale login-failure counts, and
 * unverified accounts past their time (with the organization they created, when nobody else is in
 * it). Every statement is a plain delete of rows no request can use any more, so running it twice,
 * or on two replicas at once, is harmless.
 */
import { qualified, type MikroORM } from '@invoice/platform-db';

/** Invitations, tokens and families are kept this long after they stopped working (for support). */
const RETENTION = `interval '7 days'`;

/** How many rows each kind lost. */
export interface CleanupResult {
  invitations: number;
  verificationTokens: number;
  resetTokens: number;
  refreshFamilies: number;
  refreshTokens: number;
  loginFailures: number;
  unverifiedUsers: number;
}

/** Runs the clean-up once, in one transaction. */
export async function cleanUp(
  orm: MikroORM,
  options: { unverifiedAccountTtlDays: number; now?: Date },
): Promise<CleanupResult> {
  const now = options.now ?? new Date();
  return orm.em.fork().transactional(async (em) => {
    const t = (table: string) => qualified(em, table);
    const run = async (sql: string, params: unknown[] = []) => {
      const result = await em.execute(sql, params, 'run');
      return (result as { affectedRows?: number }).affectedRows ?? 0;
    };
    const invitations = await run(
      `delete from ${t('invitations')}
       where accepted_at is null and (expires_at < ?::timestamptz - ${RETENTION} or revoked_at < ?::timestamptz - ${RETENTION})`,
      [now, now],
    );
    const tokenSql = (table: string) =>
      `delete from ${t(table)} where expires_at < ?::timestamptz or used_at < ?::timestamptz - interval '1 day'`;
    const verificationTokens = await run(tokenSql('email_verification_tokens'), [now, now]);
    const resetTokens = await run(tokenSql('password_reset_tokens'), [now, now]);
    const refreshTokens = await run(`delete from ${t('refresh_tokens')} where expires_at < ?::timestamptz`, [
      now,
    ]);
    // A family ends when revoked, or when none of its tokens can be used any more.
    const refreshFamilies = await run(
      `delete from ${t('refresh_token_families')} f
       where f.revoked_at < ?::timestamptz - ${RETENTION}
          or not exists (select 1 from ${t('refresh_tokens')} r where r.family_id = f.id)`,
      [now],
    );
    const loginFailures = await run(
      `delete from ${t('login_failures')}
       where window_started_at < ?::timestamptz - interval '1 day' and (locked_until is null or locked_until < ?::timestamptz)`,
      [now, now],
    );
    // Organizations created by an expired unverified account, where nobody else is a member.
    await run(
      `delete from ${t('organizations')} o
       where exists (
         select 1 from ${t('memberships')} m join ${t('users')} u on u.id = m.user_id
         where m.organization_id = o.id and u.email_verified_at is null
           and u.created_at < ?::timestamptz - make_interval(days => ?))
       and not exists (
         select 1 from ${t('memberships')} m join ${t('users')} u on u.id = m.user_id
         where m.organization_id = o.id and (u.email_verified_at is not null
           or u.created_at >= ?::timestamptz - make_interval(days => ?)))`,
      [now, options.unverifiedAccountTtlDays, now, options.unverifiedAccountTtlDays],
    );
    const unverifiedUsers = await run(
      `delete from ${t('users')} where email_verified_at is null and created_at < ?::timestamptz - make_interval(days => ?)`,
      [now, options.unverifiedAccountTtlDays],
    );
    return {
      invitations,
      verificationTokens,
      resetTokens,
      refreshFamilies,
      refreshTokens,
      loginFailures,
      unverifiedUsers,
    };
  });
}

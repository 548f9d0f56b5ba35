/**
 * The per-account login limit inside auth, so calling auth directly (past the gateway's per-client
 * limit) is limited too: failed logins are counted per normalized email, known or not (the limit
 * reveals nothing about accounts), within a window; from LOGIN_MAX_FAILURES on, the address is locked
 * for LOGIN_LOCKOUT_SECONDS, doubling with each further failure up to 15 minutes. While locked even
 * the right password is refused (429 with Retry-After); a successful login clears the count. The
 * same count guards every other place a password is checked (accepting an invitation with an
 * existing account, changing the password), so none of them is a way around it.
 */
import { AppError } from '@invoice/contracts';
import { qualified, type MikroORM } from '@invoice/platform-db';
import { verifyPassword } from '../crypto/passwords.ts';
import type { Config } from '../config.ts';

/** Failures older than this start a new count (unless the address is locked). */
const WINDOW_MINUTES = 15;
/** The longest lock. */
const MAX_LOCK_SECONDS = 15 * 60;

/** Seconds until the address may try again (0 when it is not locked). */
export async function lockedForSeconds(orm: MikroORM, email: string, now = new Date()): Promise<number> {
  const em = orm.em.fork();
  const rows = await em.execute<{ locked_until: Date | null }[]>(
    `select locked_until from ${qualified(em, 'login_failures')} where email = ?`,
    [email],
  );
  const lockedUntil = rows[0]?.locked_until;
  if (!lockedUntil) return 0;
  return Math.max(0, Math.ceil((new Date(lockedUntil).getTime() - now.getTime()) / 1000));
}

/** Counts a failed login and locks the address once the limit is reached. */
export async function recordFailure(
  orm: MikroORM,
  config: Pick<Config, 'LOGIN_MAX_FAILURES' | 'LOGIN_LOCKOUT_SECONDS'>,
  email: string,
  now = new Date(),
): Promise<void> {
  const em = orm.em.fork();
  const table = qualified(em, 'login_failures');
  const fresh = `${table}.window_started_at < ?::timestamptz - interval '${WINDOW_MINUTES} minutes'
    and (${table}.locked_until is null or ${table}.locked_until <= ?::timestamptz)`;
  const rows = await em.execute<{ failures: number }[]>(
    `insert into ${table} (email, failures, window_started_at) values (?, 1, ?)
     on conflict (email) do update set
       failures = case when ${fresh} then 1 else ${table}.failures + 1 end,
       window_started_at = case when ${fresh} then excluded.window_started_at else ${table}.window_started_at end
     returning failures`,
    [email, now, now, now, now, now],
  );
  const failures = Number(rows[0]?.failures ?? 1);
  if (failures < config.LOGIN_MAX_FAILURES) return;
  const exponent = Math.min(failures - config.LOGIN_MAX_FAILURES, 20);
  const seconds = Math.min(config.LOGIN_LOCKOUT_SECONDS * 2 ** exponent, MAX_LOCK_SECONDS);
  await em.execute(`update ${table} set locked_until = ? where email = ?`, [
    new Date(now.getTime() + seconds * 1000),
    email,
  ]);
}

/** Clears the count after a successful login. */
export async function clearFailures(orm: MikroORM, email: string): Promise<void> {
  const em = orm.em.fork();
  await em.execute(`delete from ${qualified(em, 'login_failures')} where email = ?`, [email]);
}

/** Too many failed logins for this email: 429, and the app sends Retry-After. */
export class LoginLockedError extends AppError {
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number) {
    super('RATE_LIMITED', { detail: 'Too many failed logins for this account; try again later' });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * Checks a user's password under the per-address limit: 429 while the address is locked; a
 * mismatch is counted, a match clears the count. Returns whether it matched.
 */
export async function checkPasswordThrottled(
  deps: { orm: MikroORM; config: Pick<Config, 'LOGIN_MAX_FAILURES' | 'LOGIN_LOCKOUT_SECONDS'> },
  user: { email: string; passwordHash: string },
  password: string,
  now = new Date(),
): Promise<boolean> {
  const lockedFor = await lockedForSeconds(deps.orm, user.email, now);
  if (lockedFor > 0) throw new LoginLockedError(lockedFor);
  if (!(await verifyPassword(user.passwordHash, password))) {
    await recordFailure(deps.orm, deps.config, user.email, now);
    return false;
  }
  await clearFailures(deps.orm, user.email);
  return true;
}

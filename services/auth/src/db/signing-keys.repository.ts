/**
 * The `signing_keys` table (no entity): a unique partial index allows at most one row with
 * `retired_at` null, and creating the active key relies on `on conflict do nothing`, so these reads
 * and writes are SQL. Each call runs on the caller's entity manager.
 */
import { qualified, type EntityManager } from '@invoice/platform-db';
import type { JWK } from 'jose';

/** A stored key pair (jsonb columns come back parsed, text if a driver leaves them as strings). */
export interface SigningKeyRow {
  kid: string;
  public_jwk: JWK | string;
  private_jwk: JWK | string;
}

/** A key to store. */
export interface NewSigningKey {
  kid: string;
  publicJwk: object;
  privateJwk: object;
}

/** The active (not retired) key, if there is one. */
export async function findActiveKey(em: EntityManager): Promise<SigningKeyRow | undefined> {
  const rows = await em.execute<SigningKeyRow[]>(
    `select kid, public_jwk, private_jwk from ${qualified(em, 'signing_keys')} where retired_at is null`,
  );
  return rows[0];
}

/** Inserts `key` as the active key unless one exists already (another replica won the race). */
export async function insertActiveKeyUnlessPresent(em: EntityManager, key: NewSigningKey): Promise<void> {
  await em.execute(
    `insert into ${qualified(em, 'signing_keys')} (kid, public_jwk, private_jwk) values (?, ?, ?) on conflict do nothing`,
    [key.kid, JSON.stringify(key.publicJwk), JSON.stringify(key.privateJwk)],
  );
}

/** Public parts of the active key and of keys retired within the last `graceHours`, newest first. */
export function findPublishedKeys(
  em: EntityManager,
  graceHours: number,
): Promise<Pick<SigningKeyRow, 'kid' | 'public_jwk'>[]> {
  return em.execute<Pick<SigningKeyRow, 'kid' | 'public_jwk'>[]>(
    `select kid, public_jwk from ${qualified(em, 'signing_keys')}
     where retired_at is null or retired_at > now() - make_interval(hours => ?)
     order by created_at desc`,
    [graceHours],
  );
}

/** Retires the active key and stores `key` as the new one (run it in a transaction). */
export async function replaceActiveKey(em: EntityManager, key: NewSigningKey): Promise<void> {
  await em.execute(`update ${qualified(em, 'signing_keys')} set retired_at = now() where retired_at is null`);
  await em.execute(
    `insert into ${qualified(em, 'signing_keys')} (kid, public_jwk, private_jwk) values (?, ?, ?)`,
    [key.kid, JSON.stringify(key.publicJwk), JSON.stringify(key.privateJwk)],
  );
}

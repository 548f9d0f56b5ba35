/**
 * The keys auth verifies its own access tokens with: exactly the set its JWKS publishes, read from
 * the database instead of over HTTP from itself, as a jose key getter for `createJwtVerifier`.
 *
 * The set is replaced (never appended to), so a key that leaves the JWKS stops verifying here too:
 * it is rebuilt on the first use after `maxAgeMs`, and on a token with an unknown `kid` only once
 * `cooldownMs` has passed since the last load, so made-up kids cost at most one query per cooldown.
 */
import { createLocalJWKSet, type JWK, type JWTVerifyGetKey } from 'jose';

/** How long the set is trusted. */
export interface VerificationKeyOptions {
  /** An unknown kid reloads the set only when it is at least this old (default 30 s). */
  cooldownMs?: number;
  /** The set is reloaded on the first use after this age (default 60 s, the JWKS max-age). */
  maxAgeMs?: number;
}

interface LoadedSet {
  getKey: JWTVerifyGetKey;
  kids: ReadonlySet<string | undefined>;
  loadedAt: number;
}

/** A key getter over the keys `load` returns (the JWKS content). */
export function createVerificationKeys(
  load: () => Promise<JWK[]>,
  options: VerificationKeyOptions = {},
): JWTVerifyGetKey {
  const cooldownMs = options.cooldownMs ?? 30_000;
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  let current: LoadedSet | undefined;
  let loading: Promise<LoadedSet> | undefined;

  // Concurrent requests that all need a reload share one query.
  const reload = (): Promise<LoadedSet> => {
    loading ??= load()
      .then((keys) => {
        current = {
          getKey: createLocalJWKSet({ keys }),
          kids: new Set(keys.map((key) => key.kid)),
          loadedAt: Date.now(),
        };
        return current;
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  };

  return async (header, token) => {
    const age = current ? Date.now() - current.loadedAt : Infinity;
    let set = current && age < maxAgeMs ? current : await reload();
    if (!set.kids.has(header.kid) && Date.now() - set.loadedAt >= cooldownMs) set = await reload();
    return set.getKey(header, token);
  };
}

/** The auth service's composition root: every client and key set it uses, opened once per process from the config. */
import type { Bus } from '@invoice/platform-bus';
import { PgIdempotencyStore, type MikroORM } from '@invoice/platform-db';
import { createJwtVerifier, type IdempotencyStore, type JwtVerifier } from '@invoice/platform-http';
import type { Logger } from '@invoice/platform-logger';
import { closeConnections, openConnections } from '@invoice/platform-service';
import { useBusTokenKey } from './crypto/bus-token.ts';
import type { Config } from './config.ts';
import { SigningKeys } from './crypto/signing-keys.ts';
import { createVerificationKeys, type VerificationKeyOptions } from './crypto/verification-keys.ts';
import { entities, migrations } from './db/index.ts';

/** The service's name: logger base, NATS connection name, its AUTH stream and its schema. */
export const SERVICE = 'auth';

/** Everything the routes and the RPC responder use. */
export interface Deps {
  config: Readonly<Config>;
  logger: Logger;
  orm: MikroORM;
  /** Not used by the API itself: the relay publishes on it and the RPC responder answers on it. */
  bus: Bus;
  /** The signing keys (AUTH_SIGNING_KEY, or the database's; the active one is created on first use). */
  keys: SigningKeys;
  /** Verifies the service's own access tokens against the keys its JWKS publishes. */
  verifier: JwtVerifier;
  /** Where Idempotency-Key outcomes of sign-up are kept. */
  idempotency: IdempotencyStore;
}

/** Opens the database and NATS, and the signing keys (no query runs before the migrations). */
export async function createDeps(config: Readonly<Config>, logger: Logger): Promise<Deps> {
  useBusTokenKey(config.BUS_TOKEN_KEY);
  const { orm, bus } = await openConnections(config, logger, { name: SERVICE, entities, migrations });
  try {
    const keys = await SigningKeys.open(orm, {
      configuredKey: config.AUTH_SIGNING_KEY,
      previousKeys: config.AUTH_PREVIOUS_SIGNING_KEYS,
      requireConfigured: config.AUTH_REQUIRE_CONFIGURED_KEY,
      logger,
    });
    return {
      config,
      logger,
      orm,
      bus,
      keys,
      verifier: ownTokenVerifier(config, keys),
      idempotency: new PgIdempotencyStore(orm),
    };
  } catch (error) {
    await closeConnections({ orm, bus });
    throw error;
  }
}

/** Closes everything {@link createDeps} opened. */
export async function closeDeps(deps: Deps): Promise<void> {
  await closeConnections(deps);
}

/**
 * The shared verifier over the keys the JWKS publishes, read from the database instead of over HTTP
 * from the service itself. `cache` says how long the key set is trusted (tests shorten it to see a
 * key leave the JWKS at once).
 */
export function ownTokenVerifier(
  config: Pick<Config, 'JWT_ISSUER' | 'JWT_AUDIENCE'>,
  keys: SigningKeys,
  cache?: VerificationKeyOptions,
): JwtVerifier {
  return createJwtVerifier({
    keys: createVerificationKeys(() => keys.publicKeys(), cache),
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });
}

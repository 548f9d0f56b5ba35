import { CommonConfig, loadConfig, QueueConfig, Type, type Static } from '@invoice/platform-config';

/** Environment of the auth service (validated and frozen at start-up). */
export const ConfigSchema = Type.Object({
  /** Seals one-time tokens in auth's events for notification only (a random secret, the same in both). */
  BUS_TOKEN_KEY: Type.String({ default: '' }),
  ...CommonConfig,
  ...QueueConfig,
  PORT: Type.Integer({ default: 8081 }),
  ACCESS_TOKEN_TTL_SECONDS: Type.Integer({ default: 900, minimum: 60, maximum: 3600 }),
  REFRESH_TOKEN_TTL_DAYS: Type.Integer({ default: 30, minimum: 1, maximum: 365 }),
  /** Failed logins of one email (within 15 minutes) before it is locked. */
  LOGIN_MAX_FAILURES: Type.Integer({ default: 10, minimum: 1 }),
  /** The first lock's length; each further failure doubles it, up to 15 minutes. */
  LOGIN_LOCKOUT_SECONDS: Type.Integer({ default: 30, minimum: 1 }),
  /** How often the clean-up job runs (expired invitations, tokens, sessions, unverified accounts). */
  CLEANUP_INTERVAL_MS: Type.Integer({ default: 60 * 60 * 1000, minimum: 1000 }),
  /** Accounts whose email is not verified within this many days are deleted by the clean-up. */
  UNVERIFIED_ACCOUNT_TTL_DAYS: Type.Integer({ default: 7, minimum: 1 }),
  /**
   * A private Ed25519 JWK (JSON) to sign with instead of the keys kept in `auth.signing_keys`
   * (e.g. mounted from a Kubernetes Secret). Unset: the service generates and stores its own.
   */
  AUTH_SIGNING_KEY: Type.Optional(Type.String({ minLength: 2 })),
  /**
   * JSON array of the JWKs signed with before the last rotation, still published (public parts only)
   * through the overlap so the tokens they signed keep verifying until they expire.
   */
  AUTH_PREVIOUS_SIGNING_KEYS: Type.Optional(Type.String({ minLength: 2 })),
  /** Refuse to start without AUTH_SIGNING_KEY (production: keys never come from the database). */
  AUTH_REQUIRE_CONFIGURED_KEY: Type.Boolean({ default: false }),
});

/** The auth service configuration. */
export type Config = Static<typeof ConfigSchema>;

/** Reads and validates the configuration (from `process.env` unless an env object is given). */
export function readConfig(env?: Record<string, string | undefined>): Readonly<Config> {
  return loadConfig(ConfigSchema, env);
}

import { CommonConfig, loadConfig, Type, type Static } from '@invoice/platform-config';

/** Environment of the auth service (validated and frozen at start-up). */
export const ConfigSchema = Type.Object({
  ...CommonConfig,
  PORT: Type.Integer({ default: 8081 }),
  ACCESS_TOKEN_TTL_SECONDS: Type.Integer({ default: 900, minimum: 60, maximum: 3600 }),
  REFRESH_TOKEN_TTL_DAYS: Type.Integer({ default: 30, minimum: 1, maximum: 365 }),
  /**
   * A private Ed25519 JWK (JSON) to sign with instead of the keys kept in `auth.signing_keys`
   * (e.g. mounted from a Kubernetes Secret). Unset: the service generates and stores its own.
   */
  AUTH_SIGNING_KEY: Type.Optional(Type.String({ minLength: 2 })),
});

/** The auth service configuration. */
export type Config = Static<typeof ConfigSchema>;

/** Reads and validates the configuration (from `process.env` unless an env object is given). */
export function readConfig(env?: Record<string, string | undefined>): Readonly<Config> {
  return loadConfig(ConfigSchema, env);
}

import { CommonConfig, loadConfig, Type, type Static } from '@invoice/platform-config';

/** Environment of the catalog service: the common variables plus its HTTP port. */
export const ConfigSchema = Type.Object({
  ...CommonConfig,
  PORT: Type.Integer({ default: 8082, minimum: 1, maximum: 65535 }),
});
export type Config = Readonly<Static<typeof ConfigSchema>>;

/** Reads and validates the configuration once at start-up (throws ConfigError naming each variable). */
export function readConfig(env?: Record<string, string | undefined>): Config {
  return loadConfig(ConfigSchema, env);
}

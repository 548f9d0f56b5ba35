/** The document service's configuration: the only place its environment is read. */
import { CommonConfig, QueueConfig, S3Config, loadConfig, Type, type Static } from '@invoice/platform-config';

export const ConfigSchema = Type.Object({
  ...CommonConfig,
  ...QueueConfig,
  ...S3Config,
  PORT: Type.Integer({ default: 8084 }),
  /** PDFs rendered at once per worker process (rendering is CPU-bound: about one per core). */
  RENDER_CONCURRENCY: Type.Integer({ default: 2, minimum: 1, maximum: 64 }),
  /** How often pending documents are re-enqueued (jobs are derived from rows, not from Redis). */
  RECONCILE_INTERVAL_MS: Type.Integer({ default: 30_000, minimum: 100 }),
});
export type Config = Static<typeof ConfigSchema>;

/** Reads and validates the configuration (throws a ConfigError naming each bad variable). */
export function readConfig(env?: Record<string, string | undefined>): Readonly<Config> {
  return loadConfig(ConfigSchema, env);
}

import { CommonConfig, loadConfig, QueueConfig, S3Config, Type, type Static } from '@invoice/platform-config';

/** Environment of the catalog service: the common variables, its HTTP port, Redis, S3 and imports. */
export const ConfigSchema = Type.Object({
  ...CommonConfig,
  ...QueueConfig,
  ...S3Config,
  PORT: Type.Integer({ default: 8082, minimum: 1, maximum: 65535 }),
  /** Largest spreadsheet `POST /v1/imports` accepts (bytes); larger uploads are 413. */
  IMPORT_MAX_FILE_BYTES: Type.Integer({ default: 50 * 1024 * 1024, minimum: 1024 }),
  /** Largest total uncompressed size of an XLSX's zip entries (zip-bomb guard, counted while inflating). */
  IMPORT_MAX_UNCOMPRESSED_BYTES: Type.Integer({ default: 1024 * 1024 * 1024, minimum: 1024 }),
  /** How long an uploaded file stays in S3 (seconds); then it is deleted and the import cannot run. */
  IMPORT_FILE_TTL_SECONDS: Type.Integer({ default: 7 * 24 * 3600, minimum: 60 }),
  /** Import jobs in progress at once per worker process. */
  IMPORT_CONCURRENCY: Type.Integer({ default: 2, minimum: 1, maximum: 16 }),
  /** Rows committed per transaction by the import worker (the resume point moves with each). */
  IMPORT_BATCH_ROWS: Type.Integer({ default: 5000, minimum: 1, maximum: 20_000 }),
  /** How often running imports are re-enqueued and expired files deleted. */
  RECONCILE_INTERVAL_MS: Type.Integer({ default: 30_000, minimum: 100 }),
});
export type Config = Readonly<Static<typeof ConfigSchema>>;

/** Reads and validates the configuration once at start-up (throws ConfigError naming each variable). */
export function readConfig(env?: Record<string, string | undefined>): Config {
  return loadConfig(ConfigSchema, env);
}

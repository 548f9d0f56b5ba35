/** Gateway configuration: where each service is, CORS, rate limits. */
import { loadConfig, CommonConfig, QueueConfig, Type, type Static } from '@invoice/platform-config';

export const ConfigSchema = Type.Object({
  ...CommonConfig,
  REDIS_URL: QueueConfig.REDIS_URL,
  PORT: Type.Integer({ default: 8080 }),
  AUTH_URL: Type.String({ default: 'http://127.0.0.1:8081' }),
  CATALOG_URL: Type.String({ default: 'http://127.0.0.1:8082' }),
  INVOICING_URL: Type.String({ default: 'http://127.0.0.1:8083' }),
  DOCUMENT_URL: Type.String({ default: 'http://127.0.0.1:8084' }),
  NOTIFICATION_URL: Type.String({ default: 'http://127.0.0.1:8085' }),
  /** Comma-separated allowed browser origins ('' = none, '*' = any). */
  CORS_ORIGINS: Type.String({ default: '' }),
  /** Requests per minute per client IP on the whole API. */
  RATE_LIMIT_PER_MINUTE: Type.Integer({ default: 1200, minimum: 1 }),
  /** Requests per minute per client IP on sign-up, login and password reset. */
  AUTH_RATE_LIMIT_PER_MINUTE: Type.Integer({ default: 20, minimum: 1 }),
  UPSTREAM_TIMEOUT_MS: Type.Integer({ default: 30_000 }),
});
export type Config = Static<typeof ConfigSchema>;

/** Reads and validates the gateway's configuration. */
export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  return loadConfig(ConfigSchema, env);
}

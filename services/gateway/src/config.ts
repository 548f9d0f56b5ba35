/** Gateway configuration: where each service is, CORS, rate limits, body limits, timeouts. */
import { loadConfig, CommonConfig, QueueConfig, Type, type Static } from '@invoice/platform-config';

export const ConfigSchema = Type.Object({
  ...CommonConfig,
  ...QueueConfig,
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
  /**
   * Requests per minute per client IP on sign-up, login, refresh, password reset and change,
   * verification and accepting invitations. Fails closed: without Redis these routes answer 503.
   */
  AUTH_RATE_LIMIT_PER_MINUTE: Type.Integer({ default: 20, minimum: 1 }),
  /**
   * How many proxies in front of the gateway append to X-Forwarded-For (an ingress: 1). The client
   * address is taken that many entries from the right; 0 ignores the header (the socket peer counts).
   */
  TRUSTED_PROXY_HOPS: Type.Integer({ default: 0, minimum: 0, maximum: 10 }),
  UPSTREAM_TIMEOUT_MS: Type.Integer({ default: 30_000 }),
  /** How long `/readyz` waits for each upstream's own `/readyz` (they are asked in parallel). */
  UPSTREAM_READY_TIMEOUT_MS: Type.Integer({ default: 1_000, minimum: 1 }),
  /**
   * The largest request body (bytes) the gateway reads for each route family; a larger one gets 413
   * before anything reaches the service. The defaults are what each service itself accepts.
   */
  AUTH_BODY_LIMIT_BYTES: Type.Integer({ default: 64 * 1024, minimum: 0 }),
  CATALOG_BODY_LIMIT_BYTES: Type.Integer({ default: 1024 * 1024, minimum: 0 }),
  INVOICING_BODY_LIMIT_BYTES: Type.Integer({ default: 4 * 1024 * 1024, minimum: 0 }),
  DOCUMENT_BODY_LIMIT_BYTES: Type.Integer({ default: 1024 * 1024, minimum: 0 }),
  NOTIFICATION_BODY_LIMIT_BYTES: Type.Integer({ default: 1024 * 1024, minimum: 0 }),
  /**
   * Spreadsheet uploads (`POST /v1/imports`): the catalog's IMPORT_MAX_FILE_BYTES (50 MiB) plus room
   * for the multipart framing; the catalog refuses a larger file itself.
   */
  IMPORT_BODY_LIMIT_BYTES: Type.Integer({ default: 51 * 1024 * 1024, minimum: 0 }),
});
export type Config = Static<typeof ConfigSchema>;

/** Reads and validates the gateway's configuration. */
export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  return loadConfig(ConfigSchema, env);
}

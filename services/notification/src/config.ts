/** Notification service configuration: SMTP, sender, links, queue tuning. */
import { loadConfig, CommonConfig, QueueConfig, S3Config, Type, type Static } from '@invoice/platform-config';

export const ConfigSchema = Type.Object({
  /** Seals one-time tokens in auth's events for notification only (a random secret, the same in both). */
  BUS_TOKEN_KEY: Type.String({ default: '' }),
  ...CommonConfig,
  ...QueueConfig,
  ...S3Config,
  PORT: Type.Integer({ default: 8085 }),
  SMTP_HOST: Type.String({ default: '127.0.0.1' }),
  SMTP_PORT: Type.Integer({ default: 1025, minimum: 1, maximum: 65535 }),
  /** true = implicit TLS (port 465); false = plain or STARTTLS when the server offers it. */
  SMTP_SECURE: Type.Boolean({ default: false }),
  SMTP_USER: Type.Optional(Type.String()),
  SMTP_PASSWORD: Type.Optional(Type.String()),
  MAIL_FROM: Type.String({ default: '"Invoice Platform" <no-reply@invoice.local>' }),
  /**
   * Base URL of the front end (the web app), used in the links emails carry: its pages
   * `/verify-email`, `/reset-password` and `/accept-invitation` take the `token` and call the API
   * (README, "Links in emails"). The default is a front end's usual development address.
   */
  APP_URL: Type.String({ default: 'http://127.0.0.1:3000', pattern: '^https?://' }),
  /**
   * Emails sent in parallel by one worker process (also the SMTP pool size). Each job mostly waits
   * (database, S3, SMTP), so more jobs than cores keep up with bursts of invoice emails.
   */
  EMAIL_CONCURRENCY: Type.Integer({ default: 8, minimum: 1 }),
  /** SMTP attempts per email before it is marked failed. */
  EMAIL_ATTEMPTS: Type.Integer({ default: 6, minimum: 1 }),
  /** First retry delay; it doubles on each retry. */
  EMAIL_BACKOFF_MS: Type.Integer({ default: 30_000, minimum: 1 }),
  /** How often pending emails are re-enqueued from Postgres (jobs are derived from durable state). */
  EMAIL_RECONCILE_INTERVAL_MS: Type.Integer({ default: 30_000, minimum: 100 }),
  /** An email stuck in `sending` this long is assumed abandoned by a crashed worker. */
  EMAIL_SENDING_STALE_MS: Type.Integer({ default: 300_000, minimum: 1_000 }),
});
export type Config = Static<typeof ConfigSchema>;

/** Reads and validates the notification service's configuration. */
export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  return loadConfig(ConfigSchema, env);
}

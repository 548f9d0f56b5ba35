/** Invoicing configuration: the common variables, its port, and the defaults of drafts. */
import { loadConfig, CommonConfig, QueueConfig, Type, type Static } from '@invoice/platform-config';

export const ConfigSchema = Type.Object({
  ...CommonConfig,
  ...QueueConfig,
  PORT: Type.Integer({ default: 8083 }),
  /** How long to wait for catalog/auth to answer a replica look-up over NATS request/reply. */
  RPC_TIMEOUT_MS: Type.Integer({ default: 2000, minimum: 50 }),
  /** Payment terms of a draft whose client has none and whose body gives no due date. */
  DEFAULT_PAYMENT_TERMS_DAYS: Type.Integer({ default: 14, minimum: 0, maximum: 730 }),
  /** How often the overdue scan runs (marks overdue invoices, sends due reminders); one run per interval across replicas. */
  OVERDUE_SCAN_INTERVAL_MS: Type.Integer({ default: 300_000, minimum: 1000 }),
  /** Validity of a quote whose body gives no `validUntil`: its date plus this many days. */
  QUOTE_VALIDITY_DAYS: Type.Integer({ default: 30, minimum: 0, maximum: 730 }),
  /** How often the expiry job marks sent quotes past their validity as expired; one run per interval across replicas. */
  QUOTE_EXPIRY_INTERVAL_MS: Type.Integer({ default: 300_000, minimum: 1000 }),
  /** How often the recurring-invoice scheduler wakes to create due occurrences (any replica; skip-locked). */
  RECURRING_WAKE_INTERVAL_MS: Type.Integer({ default: 60_000, minimum: 100 }),
  /** At most this many missed occurrences of one schedule are created per wake (catch-up after downtime). */
  RECURRING_CATCH_UP_LIMIT: Type.Integer({ default: 12, minimum: 1, maximum: 1000 }),
});
export type Config = Static<typeof ConfigSchema>;

/** Reads and validates the invoicing configuration (throws ConfigError naming each bad variable). */
export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  return loadConfig(ConfigSchema, env);
}

/**
 * The invoicing service for one test file, through the platform's service harness: its own
 * database, NATS namespace, a stand-in token issuer, the consumers and the outbox relay.
 */
import type { EventEnvelope } from '@invoice/contracts';
import { startServiceHarness, waitFor, type ServiceHarness } from '@invoice/platform-testing';
import type { Config } from '../../src/config.ts';
import type { Deps } from '../../src/deps.ts';
import { service } from '../../src/service.ts';

/** A running invoicing service for tests. */
export type Harness = ServiceHarness<Config, Deps>;

/** Starts the service (replica requests time out after 500 ms unless `env` says otherwise). */
export function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  return startServiceHarness(service, { env: { RPC_TIMEOUT_MS: '500', ...env } });
}

/** Waits until the events of `type` about `subject` (the aggregate id) reach `count`; returns them. */
export async function waitForEvents<T>(
  harness: Harness,
  type: string,
  subject: string,
  count = 1,
): Promise<EventEnvelope<T>[]> {
  return waitFor(
    async () => {
      const events = (await harness.events<T>(type)).filter((event) => event.subject === subject);
      return events.length >= count ? events : undefined;
    },
    { timeoutMs: 15_000, what: `${count} ${type} events about ${subject}` },
  );
}

/**
 * The auth service for one test file, through the platform's service harness: its own database and
 * NATS namespace, the RPC responder, and the outbox relay run on demand (`events()` publishes the
 * pending rows first), so tests read what auth published from the namespaced AUTH stream.
 */
import { randomBytes } from 'node:crypto';
import { Subjects, type EventEnvelope } from '@invoice/contracts';
import { startServiceHarness, type HarnessOptions, type ServiceHarness } from '@invoice/platform-testing';
import type { Config } from '../../src/config.ts';
import type { Deps } from '../../src/deps.ts';
import { service } from '../../src/service.ts';

/** Every event type auth publishes (its AUTH stream holds nothing else). */
const AUTH_EVENT_TYPES = Object.values(Subjects).filter((type) => type.startsWith('auth.'));

/** A running auth service for tests. */
export interface Harness extends ServiceHarness<Config, Deps> {
  /** Every event auth has published, of whatever type (pending outbox rows are published first). */
  allEvents(): Promise<EventEnvelope[]>;
}

/** Starts the service; `env` sets configuration variables, `adjustDeps` changes dependencies (e.g. the verifier). */
export async function startHarness(
  options: Pick<HarnessOptions<Deps>, 'env' | 'adjustDeps'> = {},
): Promise<Harness> {
  const harness = await startServiceHarness(service, { ...options, relay: 'manual' });
  return Object.assign(harness, {
    async allEvents() {
      const events: EventEnvelope[] = [];
      for (const type of AUTH_EVENT_TYPES) events.push(...(await harness.events(type)));
      return events;
    },
  });
}

/** A valid sign-up body with a unique email; fields can be overridden. */
export function signupBody(
  overrides: Partial<Record<'organizationName' | 'name' | 'email' | 'password', string>> = {},
) {
  const unique = randomBytes(4).toString('hex');
  return {
    organizationName: `Acme ${unique}`,
    name: 'Ada Lovelace',
    email: `ada.${unique}@example.com`,
    password: 'correct horse 42',
    ...overrides,
  };
}

/**
 * The catalog service for one test file, through the platform's service harness (its own database,
 * NATS namespace, token issuer, RPC responders and outbox relay), plus the catalog's body fixtures.
 */
import {
  startServiceHarness,
  type ConditionalResource,
  type HarnessOptions,
  type ServiceHarness,
} from '@invoice/platform-testing';
import type { Config } from '../../src/config.ts';
import type { Deps } from '../../src/deps.ts';
import { service } from '../../src/service.ts';

/** A running catalog for tests. */
export interface Harness extends ServiceHarness<Config, Deps> {
  /** A token of a plain member of `orgId` (role `member`) with the given permissions. */
  member(orgId: string, permissions?: string[]): Promise<string>;
}

/** Starts the catalog (options as for `startServiceHarness`, e.g. `relay: 'manual'`); `close()` in `after`. */
export async function startHarness(options: HarnessOptions<Deps> = {}): Promise<Harness> {
  const harness = await startServiceHarness(service, options);
  return Object.assign(harness, {
    member: (orgId: string, permissions: string[] = []) =>
      harness.token(orgId, { role: 'member', permissions }),
  });
}

/** What a conditional write of {@link conditionalResource} sends. */
export interface ConditionalTarget {
  method: 'PATCH' | 'DELETE';
  url: string;
  token: string;
  /** The resource's current ETag (as its create answered it). */
  etag: unknown;
  /** A body for each write (a PATCH must change something, so the version moves). */
  body?: () => unknown;
}

/** One route under `preconditionSuite`: each write sends the target's request with the given `If-Match`. */
export function conditionalResource(h: Harness, target: ConditionalTarget): ConditionalResource {
  return {
    etag: String(target.etag),
    async write(ifMatch) {
      const response = await h.call<{ code?: string }>(target.method, target.url, {
        token: target.token,
        body: target.body?.(),
        headers: ifMatch === undefined ? {} : { 'if-match': ifMatch },
      });
      const { etag } = response.headers;
      return {
        status: response.status,
        etag: typeof etag === 'string' ? etag : undefined,
        body: response.body,
      };
    },
  };
}

/** The distinct failing fields of a problem response (one field may fail several keywords). */
export const fields = (response: { body: { errors?: { field: string }[] } }) => [
  ...new Set(response.body.errors?.map((e) => e.field)),
];

/** A valid client body with overrides. */
export function clientBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Acme GmbH',
    email: 'Billing@Acme.example',
    taxId: 'DE123456789',
    address: { line1: 'Hauptstraße 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
    contact: { name: 'Erika Mustermann', email: 'erika@acme.example', phone: '+49 30 1234567' },
    defaultCurrency: 'EUR',
    paymentTermsDays: 30,
    language: 'de',
    ...overrides,
  };
}

/** A valid product body with overrides. */
export function productBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Consulting hour',
    unitPrice: '120.5',
    currency: 'EUR',
    unitCode: 'HUR',
    vatRate: '19',
    ...overrides,
  };
}

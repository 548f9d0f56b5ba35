/**
 * What every scenario starts from, made through the public API: an organization with a complete
 * seller profile, its owner logged in, and clients. The verification token is read from the
 * `auth.email-verification.requested.v1` event (so sign-up works while the email worker is stopped).
 */
import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { ApiClient, expectStatus } from './http.ts';
import { wireSubject, type SystemUnderTest } from './system.ts';

/** A logged-in organization with its clients. */
export interface Organization {
  orgId: string;
  email: string;
  clientIds: string[];
  api: ApiClient;
}

/** The NATS connection of the bench (subscriptions only). */
export async function connectNats(system: Pick<SystemUnderTest, 'natsUrl'>): Promise<NatsConnection> {
  return connect({ servers: system.natsUrl, name: 'invoice-bench' });
}

/** Signs up, verifies and logs in an owner, completes the seller profile and creates `clients` clients. */
export async function createOrganization(
  system: Pick<SystemUnderTest, 'gatewayUrl' | 'namespace'>,
  nc: NatsConnection,
  options: { clients: number; maxSockets: number; name?: string },
): Promise<Organization> {
  const tag = randomBytes(4).toString('hex');
  const email = `bench-${tag}@example.test`;
  const password = 'correct horse battery staple';
  const api = new ApiClient(system.gatewayUrl, options.maxSockets);

  const tokens = nc.subscribe(wireSubject(system, 'auth.email-verification.requested.v1'));
  const token = (async () => {
    for await (const message of tokens) {
      const event = message.json<{ data: { email: string; token: string } }>();
      if (event.data.email === email) return event.data.token;
    }
    throw new Error('NATS subscription closed before the verification token arrived');
  })();
  const timeout = setTimeout(() => tokens.unsubscribe(), 60_000);
  try {
    const signup = expectStatus(
      await api.request('POST', '/v1/auth/signup', {
        organizationName: options.name ?? 'Bench GmbH',
        name: 'Bench Owner',
        email,
        password,
      }),
      201,
      'sign-up',
    );
    expectStatus(
      await api.request('POST', '/v1/auth/verify-email', { token: await token }),
      200,
      'verify email',
    );
    const login = expectStatus(
      await api.request('POST', '/v1/auth/login', { email, password }),
      200,
      'login',
    );
    api.token = login.json.accessToken as string;
    expectStatus(
      await api.request('PATCH', '/v1/organization', {
        legalName: options.name ?? 'Bench GmbH',
        taxId: 'DE123456789',
        address: { line1: 'Hauptstrasse 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
        bankAccount: { iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' },
      }),
      200,
      'organization profile',
    );
    const clientIds: string[] = [];
    for (let i = 0; i < options.clients; i++) {
      const client = expectStatus(
        await api.request('POST', '/v1/clients', {
          name: `Client ${i + 1} ${tag}`,
          email: `billing-${i + 1}-${tag}@example.test`,
          address: {
            line1: `${i + 1} Market Street`,
            city: 'Springfield',
            postalCode: '12345',
            country: 'US',
          },
        }),
        201,
        'create client',
      );
      clientIds.push(client.json.id as string);
    }
    return { orgId: signup.json.organizationId as string, email, clientIds, api };
  } finally {
    clearTimeout(timeout);
    tokens.unsubscribe();
  }
}

const VAT = [
  { vatCategory: 'S', vatRate: '19' },
  { vatCategory: 'S', vatRate: '7' },
] as const;

/** A draft with `lines` lines (mixed VAT rates and quantities), for `clientId`. */
export function draftBody(clientId: string, lines = 20): Record<string, unknown> {
  return {
    clientId,
    currency: 'EUR',
    lines: Array.from({ length: lines }, (_, i) => ({
      description: `Consulting work package ${i + 1}`,
      quantity: String((i % 5) + 1),
      unitCode: 'HUR',
      unitPrice: `${100 + i * 7}.50`,
      ...VAT[i % VAT.length],
    })),
  };
}

/** Creates a draft and issues it; throws on the first unexpected status. */
export async function createAndIssue(
  api: ApiClient,
  clientId: string,
): Promise<{ id: string; number: string }> {
  const draft = expectStatus(await api.request('POST', '/v1/invoices', draftBody(clientId)), 201, 'create');
  const issued = expectStatus(
    await api.request('POST', `/v1/invoices/${draft.json.id as string}/issue`, {}),
    200,
    'issue',
  );
  return { id: draft.json.id as string, number: issued.json.number as string };
}

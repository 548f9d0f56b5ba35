/**
 * A catalog app on a fresh database and NATS namespace, with a stand-in token issuer. One per test
 * file; `close()` removes everything it made.
 */
import { randomUUID } from 'node:crypto';
import { Bus } from '@invoice/platform-bus';
import { createOrm, migrate, type MikroORM } from '@invoice/platform-db';
import { createJwtVerifier, type App } from '@invoice/platform-http';
import {
  createTestDatabase,
  deleteNamespaceStreams,
  infrastructure,
  silentLogger,
  startTestIssuer,
  testNamespace,
  type TestIssuer,
} from '@invoice/platform-testing';
import { buildApp } from '../../src/app.ts';
import { entities, migrations, SCHEMA } from '../../src/db/index.ts';

/** A response of {@link Harness.call}. */
export interface CallResult {
  status: number;
  headers: Record<string, unknown>;
  body: Record<string, unknown> & { errors?: { field: string; message: string }[] };
}

/** Everything a test file needs. */
export interface Harness {
  app: App;
  orm: MikroORM;
  bus: Bus;
  issuer: TestIssuer;
  natsUrl: string;
  /** A token for a member of `orgId` with the given permissions (role `member`). */
  token(orgId: string, permissions?: string[], role?: string): Promise<string>;
  /** Injects a request; `token` omitted means no Authorization header. */
  call(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<CallResult>;
  close(): Promise<void>;
}

/** Starts the catalog against the real Postgres and NATS of this machine. */
export async function startHarness(): Promise<Harness> {
  const { natsUrl } = await infrastructure();
  const db = await createTestDatabase();
  const namespace = testNamespace();
  const logger = silentLogger();
  const orm = await createOrm({ url: db.url, schema: SCHEMA, entities, migrations, logger, poolMax: 5 });
  await migrate(orm, logger);
  const bus = await Bus.connect({ url: natsUrl, namespace, name: 'catalog-test', logger });
  await bus.ensureStreams();
  const issuer = await startTestIssuer();
  const verifyToken = createJwtVerifier({
    jwksUrl: issuer.jwksUrl,
    issuer: issuer.issuer,
    audience: issuer.audience,
  });
  const app = await buildApp({ orm, bus, logger, verifyToken });
  await app.ready();

  return {
    app,
    orm,
    bus,
    issuer,
    natsUrl,
    token: (orgId, permissions = [], role = 'member') =>
      issuer.sign({ userId: randomUUID(), orgId, role, permissions }),
    call: async (method, url, options = {}) => {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      const response = await app.inject({
        method,
        url,
        headers,
        ...(options.body === undefined ? {} : { payload: options.body as object }),
      });
      const text = response.body;
      return { status: response.statusCode, headers: response.headers, body: text ? JSON.parse(text) : {} };
    },
    close: async () => {
      await app.close();
      await bus.close();
      await orm.close();
      await issuer.stop();
      await deleteNamespaceStreams(natsUrl, namespace);
      await db.drop();
    },
  };
}

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

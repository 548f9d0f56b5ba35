/** The catalog HTTP app: clients and products under `/v1`. Built for tests and main.ts; never listens. */
import type { Bus } from '@invoice/platform-bus';
import { isDatabaseReady, PgIdempotencyStore, type MikroORM } from '@invoice/platform-db';
import {
  createServer,
  registerIdempotency,
  type App,
  type JwtVerifier,
  type ReadinessCheck,
} from '@invoice/platform-http';
import type { Logger } from '@invoice/platform-logger';
import { clientsRoutes } from './http/clients.routes.ts';
import { productsRoutes } from './http/products.routes.ts';

/** What the app needs; `bus` only feeds `/readyz`. */
export interface AppDeps {
  orm: MikroORM;
  logger: Logger;
  verifyToken: JwtVerifier;
  bus?: Bus;
}

/** Builds the app with every route registered. */
export async function buildApp(deps: AppDeps): Promise<App> {
  const readiness: ReadinessCheck[] = [{ name: 'postgres', check: () => isDatabaseReady(deps.orm) }];
  const { bus } = deps;
  if (bus) readiness.push({ name: 'nats', check: () => bus.isReady() });
  const app = await createServer({
    service: 'catalog',
    logger: deps.logger,
    description: 'Clients (customers) and products of an organization.',
    readiness,
  });
  // POSTs that create honour Idempotency-Key (DESIGN §4): a retried create returns the first result.
  const idempotent = registerIdempotency(app, new PgIdempotencyStore(deps.orm));
  await app.register(clientsRoutes({ ...deps, idempotent }), { prefix: '/v1/clients' });
  await app.register(productsRoutes({ ...deps, idempotent }), { prefix: '/v1/products' });
  return app;
}

/** The catalog HTTP app: clients, products, categories and imports under `/v1`. Built for tests and main.ts; never listens. */
import { isDatabaseReady, PgIdempotencyStore } from '@invoice/platform-db';
import { createServer, registerIdempotency, type App } from '@invoice/platform-http';
import { SERVICE, type Deps } from './deps.ts';
import { categoriesRoutes } from './http/categories.routes.ts';
import { clientsRoutes } from './http/clients.routes.ts';
import { importsRoutes } from './http/imports.routes.ts';
import { productsRoutes } from './http/products.routes.ts';

/** Builds the app with every route registered and its readiness checks (Postgres, NATS). */
export async function buildApp(
  deps: Pick<Deps, 'logger' | 'orm' | 'bus' | 'verifier' | 'storage' | 'importQueue' | 'config'>,
): Promise<App> {
  const app = await createServer({
    service: SERVICE,
    logger: deps.logger,
    description: 'Clients (customers), products and product categories of an organization.',
    readiness: [
      { name: 'postgres', check: () => isDatabaseReady(deps.orm) },
      { name: 'nats', check: () => deps.bus.isReady() },
    ],
  });
  // POSTs that create honour Idempotency-Key (DESIGN §4): a retried create returns the first result.
  const idempotent = registerIdempotency(app, new PgIdempotencyStore(deps.orm));
  await app.register(clientsRoutes({ ...deps, idempotent }), { prefix: '/v1/clients' });
  await app.register(productsRoutes({ ...deps, idempotent }), { prefix: '/v1/products' });
  await app.register(categoriesRoutes({ ...deps, idempotent }), { prefix: '/v1/categories' });
  await app.register(importsRoutes({ ...deps, idempotent }), { prefix: '/v1/imports' });
  return app;
}

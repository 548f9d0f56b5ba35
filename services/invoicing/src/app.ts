/** The invoicing HTTP app (never listens; main.ts and the tests own that). */
import { isDatabaseReady } from '@invoice/platform-db';
import { createServer, type App } from '@invoice/platform-http';
import type { Deps } from './deps.ts';
import { invoiceActionsRoutes } from './http/invoice-actions.routes.ts';
import { invoicesRoutes } from './http/invoices.routes.ts';

/** The app with every invoicing route and its readiness checks (database, NATS). */
export async function buildApp(deps: Deps): Promise<App> {
  const app = await createServer({
    service: 'invoicing',
    logger: deps.logger,
    description: 'Invoices: drafts, server-computed totals (EN 16931), gapless numbering, issue and send.',
    bodyLimit: 4 * 1024 * 1024,
    readiness: [
      { name: 'database', check: () => isDatabaseReady(deps.orm) },
      { name: 'nats', check: () => deps.bus.isReady() },
    ],
  });
  await app.register(invoicesRoutes(deps), { prefix: '/v1/invoices' });
  await app.register(invoiceActionsRoutes(deps), { prefix: '/v1/invoices' });
  return app;
}

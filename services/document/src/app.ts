/** Builds the document service's HTTP app (never listens; main.ts and the tests own that). */
import { isDatabaseReady } from '@invoice/platform-db';
import { createServer, type App } from '@invoice/platform-http';
import { isQueueReady } from '@invoice/platform-queue';
import type { Deps } from './deps.ts';
import { documentsRoutes } from './http/documents.routes.ts';
import { invoicePdfRoutes } from './http/invoice-pdf.routes.ts';
import { invoicePreviewRoutes } from './http/invoice-preview.routes.ts';

/** The app with its routes and readiness checks (database, NATS, Redis, S3). */
export async function buildApp(deps: Deps): Promise<App> {
  const app = await createServer({
    service: 'document',
    description: 'Rendered PDFs of issued invoices, stored in S3 and handed out through presigned links.',
    logger: deps.logger,
    readiness: [
      { name: 'database', check: () => isDatabaseReady(deps.orm) },
      { name: 'nats', check: () => deps.bus.isReady() },
      { name: 'redis', check: () => isQueueReady(deps.renderQueue) },
      { name: 's3', check: () => deps.storage.isReady() },
    ],
  });
  await app.register(invoicePdfRoutes(deps), { prefix: '/v1/invoices' });
  await app.register(invoicePdfRoutes(deps, 'a credit note'), { prefix: '/v1/credit-notes' });
  await app.register(invoicePdfRoutes(deps, 'a sent quote'), { prefix: '/v1/quotes' });
  await app.register(invoicePreviewRoutes(deps), { prefix: '/v1/invoices' });
  await app.register(documentsRoutes(deps), { prefix: '/v1/documents' });
  return app;
}

/** The invoicing HTTP app (never listens; main.ts and the tests own that). */
import { isDatabaseReady } from '@invoice/platform-db';
import { createServer, type App } from '@invoice/platform-http';
import type { Deps } from './deps.ts';
import { creditNotesOfInvoiceRoutes, creditNotesRoutes } from './http/credit-notes.routes.ts';
import { scopeByCreator } from './http/creator-scope.ts';
import { invoiceActionsRoutes } from './http/invoice-actions.routes.ts';
import { invoiceSettingsRoutes } from './http/invoice-settings.routes.ts';
import { invoicesRoutes } from './http/invoices.routes.ts';
import { numberSeriesRoutes } from './http/number-series.routes.ts';
import { paymentsRoutes } from './http/payments.routes.ts';
import { quoteActionsRoutes } from './http/quote-actions.routes.ts';
import { scopeQuotesByCreator } from './http/quote-scope.ts';
import { quotesRoutes } from './http/quotes.routes.ts';
import { recurringInvoicesRoutes } from './http/recurring-invoices.routes.ts';

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
  // all_invoices_access: every route of one invoice or credit note checks its creator.
  app.addHook('onRoute', scopeByCreator(deps.orm));
  app.addHook('onRoute', scopeQuotesByCreator(deps.orm));
  await app.register(invoicesRoutes(deps), { prefix: '/v1/invoices' });
  await app.register(invoiceActionsRoutes(deps), { prefix: '/v1/invoices' });
  await app.register(paymentsRoutes(deps), { prefix: '/v1/invoices' });
  await app.register(creditNotesOfInvoiceRoutes(deps), { prefix: '/v1/invoices' });
  await app.register(creditNotesRoutes(deps), { prefix: '/v1/credit-notes' });
  await app.register(numberSeriesRoutes(deps), { prefix: '/v1/number-series' });
  await app.register(invoiceSettingsRoutes(deps), { prefix: '/v1/invoice-settings' });
  await app.register(quotesRoutes(deps), { prefix: '/v1/quotes' });
  await app.register(quoteActionsRoutes(deps), { prefix: '/v1/quotes' });
  await app.register(recurringInvoicesRoutes(deps), { prefix: '/v1/recurring-invoices' });
  return app;
}

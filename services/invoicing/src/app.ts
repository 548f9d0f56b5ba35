/** The invoicing HTTP app (never listens; main.ts and tests decide). */
import {
  createJwtVerifier,
  createServer,
  registerIdempotency,
  requireAuth,
  type App,
  type JwtVerifier,
} from '@invoice/platform-http';
import { isDatabaseReady, PgIdempotencyStore } from '@invoice/platform-db';
import type { preHandlerAsyncHookHandler } from 'fastify';
import type { ServiceDeps } from './deps.ts';
import { registerInvoiceActionRoutes } from './http/invoice-actions.routes.ts';
import { registerInvoiceRoutes } from './http/invoices.routes.ts';

/** What the app needs; `verifier` defaults to one reading the configured JWKS. */
export interface AppDeps extends ServiceDeps {
  verifier?: JwtVerifier;
}

/** Builds the fastify app with every invoicing route. */
export async function buildApp(deps: AppDeps): Promise<App> {
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
  const verifier =
    deps.verifier ??
    createJwtVerifier({
      jwksUrl: deps.config.AUTH_JWKS_URL,
      issuer: deps.config.JWT_ISSUER,
      audience: deps.config.JWT_AUDIENCE,
    });
  const authenticate = requireAuth(verifier) as preHandlerAsyncHookHandler;
  // Idempotency-Key on create draft, issue and send (DESIGN §4): a retry replays the first response.
  const idempotent = registerIdempotency(app, new PgIdempotencyStore(deps.orm));
  registerInvoiceRoutes(app, deps, authenticate, idempotent);
  registerInvoiceActionRoutes(app, deps, authenticate, idempotent);
  return app;
}

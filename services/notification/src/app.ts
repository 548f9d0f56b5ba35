/** Builds the notification API (the email log). Never listens. */
import { isDatabaseReady } from '@invoice/platform-db';
import { createServer, type App } from '@invoice/platform-http';
import { isQueueReady } from '@invoice/platform-queue';
import type { Deps } from './deps.ts';
import { emailsRoutes } from './http/emails.routes.ts';

/** Creates the app with its routes and readiness checks (Postgres, NATS, Redis). */
export async function buildApp(deps: Deps): Promise<App> {
  const app = await createServer({
    service: 'notification',
    logger: deps.logger,
    description: 'Email delivery and the email log.',
    readiness: [
      { name: 'database', check: () => isDatabaseReady(deps.orm) },
      { name: 'nats', check: () => deps.bus.isReady() },
      { name: 'redis', check: () => isQueueReady(deps.queue) },
    ],
  });
  await app.register(emailsRoutes(deps), { prefix: '/v1/emails' });
  return app;
}

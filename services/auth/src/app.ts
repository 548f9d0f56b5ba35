/** Builds the auth service's HTTP app (never listens; main.ts and the tests own that). */
import { isDatabaseReady } from '@invoice/platform-db';
import { createServer, type App } from '@invoice/platform-http';
import { LoginLockedError } from './application/login-throttle.ts';
import { dummyPasswordHash } from './crypto/passwords.ts';
import { SERVICE, type Deps } from './deps.ts';
import { apiKeysRoutes } from './http/api-keys.routes.ts';
import { authRoutes } from './http/auth.routes.ts';
import { invitationsRoutes } from './http/invitations.routes.ts';
import { jwksRoutes } from './http/jwks.routes.ts';
import { membersRoutes } from './http/members.routes.ts';
import { organizationRoutes } from './http/organization.routes.ts';

/** The app with its routes and readiness checks (database, NATS). */
export async function buildApp(deps: Deps): Promise<App> {
  // The database holds an active key before the first request (created here on an empty table, after
  // the migrations), so the JWKS is never empty.
  await deps.keys.active();
  await dummyPasswordHash(); // computed now so the first unknown-email login is not faster than the rest
  const app = await createServer({
    service: SERVICE,
    logger: deps.logger,
    description: 'Organizations, users, sign-up, email verification, login, tokens and the JWKS.',
    bodyLimit: 64 * 1024,
    readiness: [
      { name: 'database', check: () => isDatabaseReady(deps.orm) },
      { name: 'nats', check: () => deps.bus.isReady() },
    ],
  });
  // A locked address (too many wrong passwords) is told when to try again, whichever route checked it.
  app.addHook('onError', async (_request, reply, error) => {
    if (error instanceof LoginLockedError) reply.header('retry-after', String(error.retryAfterSeconds));
  });
  await app.register(authRoutes(deps), { prefix: '/v1/auth' });
  await app.register(organizationRoutes(deps), { prefix: '/v1/organization' });
  await app.register(membersRoutes(deps), { prefix: '/v1/members' });
  await app.register(invitationsRoutes(deps), { prefix: '/v1/invitations' });
  await app.register(apiKeysRoutes(deps), { prefix: '/v1/api-keys' });
  await app.register(jwksRoutes(deps), { prefix: '/.well-known' });
  return app;
}

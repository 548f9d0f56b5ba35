/** The auth HTTP application (built, never listening: main.ts or a test decides that). */
import { isDatabaseReady, PgIdempotencyStore, type MikroORM } from '@invoice/platform-db';
import { createJwtVerifier, createServer, registerIdempotency, type App } from '@invoice/platform-http';
import type { Logger } from '@invoice/platform-logger';
import type { Config } from './config.ts';
import { dummyPasswordHash } from './crypto/passwords.ts';
import { SigningKeys } from './crypto/signing-keys.ts';
import { createVerificationKeys, type VerificationKeyOptions } from './crypto/verification-keys.ts';
import { authRoutes } from './http/auth.routes.ts';
import { jwksRoutes } from './http/jwks.routes.ts';
import { organizationRoutes } from './http/organization.routes.ts';

/** What the app is built from. */
export interface AppDeps {
  config: Readonly<Config>;
  logger: Logger;
  orm: MikroORM;
  /** Opened from the database / AUTH_SIGNING_KEY when not given. */
  keys?: SigningKeys;
  /** Extra readiness checks (e.g. NATS, which the API itself does not use). */
  isBusReady?: () => boolean;
  /** How long the verification key set is cached (tests shorten it to see a key leave the JWKS). */
  keyCache?: VerificationKeyOptions;
}

/** Builds the auth API. */
export async function buildApp(deps: AppDeps): Promise<App> {
  const { config, logger, orm } = deps;
  const keys = deps.keys ?? (await SigningKeys.open(orm, { configuredKey: config.AUTH_SIGNING_KEY, logger }));
  await dummyPasswordHash(); // computed now so the first unknown-email login is not faster than the rest
  const app = await createServer({
    service: 'auth',
    logger,
    description: 'Organizations, users, sign-up, email verification, login, tokens and the JWKS.',
    bodyLimit: 64 * 1024,
    readiness: [
      { name: 'database', check: () => isDatabaseReady(orm) },
      ...(deps.isBusReady ? [{ name: 'nats', check: deps.isBusReady }] : []),
    ],
  });
  const routeDeps = {
    config,
    logger,
    orm,
    keys,
    // The shared verifier over the keys the JWKS publishes, read locally (no HTTP call to itself).
    verify: createJwtVerifier({
      keys: createVerificationKeys(() => keys.publicKeys(), deps.keyCache),
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
    }),
  };
  // Idempotency-Key on sign-up (DESIGN §4); unauthenticated, so the platform scopes keys by client IP.
  // The password stays out of the stored fingerprint: no fast hash of it may sit beside its argon2id.
  const idempotent = registerIdempotency(app, new PgIdempotencyStore(orm), {
    fingerprint: (request) => ({ ...(request.body as object), password: undefined }),
  });
  authRoutes(app, { ...routeDeps, idempotent });
  organizationRoutes(app, routeDeps);
  jwksRoutes(app, keys);
  return app;
}

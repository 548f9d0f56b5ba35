/** The catalog service's composition root: every client it uses, opened once per process from the config. */
import { Bus } from '@invoice/platform-bus';
import { createOrm, type MikroORM } from '@invoice/platform-db';
import { createJwtVerifier, type JwtVerifier } from '@invoice/platform-http';
import type { Logger } from '@invoice/platform-logger';
import { closeConnections } from '@invoice/platform-service';
import type { Config } from './config.ts';
import { entities, migrations, SCHEMA } from './db/index.ts';

/** The service's name: logger base, NATS connection name and its CATALOG stream. */
export const SERVICE = 'catalog';

/** Everything the routes and the RPC responders use. */
export interface Deps {
  config: Readonly<Config>;
  logger: Logger;
  orm: MikroORM;
  bus: Bus;
  /** Checks the access tokens the auth service issues (against its JWKS). */
  verifier: JwtVerifier;
}

/** Opens the database and NATS and sets up token verification. */
export async function createDeps(config: Readonly<Config>, logger: Logger): Promise<Deps> {
  const orm = await createOrm({ url: config.DATABASE_URL, schema: SCHEMA, entities, migrations, logger });
  const bus = await Bus.connect({
    url: config.NATS_URL,
    namespace: config.NATS_NAMESPACE,
    name: SERVICE,
    logger,
  });
  const verifier = createJwtVerifier({
    jwksUrl: config.AUTH_JWKS_URL,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });
  return { config, logger, orm, bus, verifier };
}

/** Closes everything {@link createDeps} opened. */
export async function closeDeps(deps: Deps): Promise<void> {
  await closeConnections(deps);
}

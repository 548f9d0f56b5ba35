/** The catalog service's composition root: every client it uses, opened once per process from the config. */
import { watchMembershipVersions, type Bus } from '@invoice/platform-bus';
import type { MikroORM } from '@invoice/platform-db';
import { jwtVerifierFromConfig, type JwtVerifier } from '@invoice/platform-http';
import type { Logger } from '@invoice/platform-logger';
import { closeConnections, openConnections } from '@invoice/platform-service';
import type { Config } from './config.ts';
import { entities, migrations } from './db/index.ts';

/** The service's name: logger base, NATS connection name, its CATALOG stream and its schema. */
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
  const { orm, bus } = await openConnections(config, logger, { name: SERVICE, entities, migrations });
  return { config, logger, orm, bus, verifier: jwtVerifierFromConfig(config, watchMembershipVersions(bus)) };
}

/** Closes everything {@link createDeps} opened. */
export async function closeDeps(deps: Deps): Promise<void> {
  await closeConnections(deps);
}

/** The invoicing service's composition root: every client it uses, opened once per process from the config. */
import { watchMembershipVersions, type Bus } from '@invoice/platform-bus';
import { PgIdempotencyStore, type MikroORM } from '@invoice/platform-db';
import { jwtVerifierFromConfig, type IdempotencyStore, type JwtVerifier } from '@invoice/platform-http';
import type { Logger } from '@invoice/platform-logger';
import { closeConnections, openConnections } from '@invoice/platform-service';
import { ReplicaLookup } from './application/replica-lookup.ts';
import type { Config } from './config.ts';
import { entities } from './db/entities.ts';
import { migrations } from './db/migrations/index.ts';

/** The service's name: logger base, NATS connection name, its INVOICING stream and its schema. */
export const SERVICE = 'invoicing';

/** Everything the routes, application services and consumers use. */
export interface Deps {
  config: Readonly<Config>;
  logger: Logger;
  orm: MikroORM;
  bus: Bus;
  /** Client, product and seller replicas, asked of catalog/auth over NATS when a row is missing. */
  replicas: ReplicaLookup;
  /** Verifies bearer tokens against the auth service's JWKS. */
  verifier: JwtVerifier;
  /** Where Idempotency-Key outcomes are kept (create draft, issue, send). */
  idempotency: IdempotencyStore;
  /** What "now" is for the recurring-invoice scheduler. */
  clock: Clock;
}

/** The time source of the scheduled use cases (tests give their own instead of sleeping). */
export interface Clock {
  now(): Date;
}

/** The machine's clock. */
export const systemClock: Clock = { now: () => new Date() };

/** What the use cases in `application/` need. */
export type UseCaseDeps = Pick<Deps, 'config' | 'logger' | 'orm' | 'replicas'>;

/** Opens the database and NATS, and wires the application services around them. */
export async function createDeps(config: Readonly<Config>, logger: Logger): Promise<Deps> {
  const { orm, bus } = await openConnections(config, logger, { name: SERVICE, entities, migrations });
  const replicas = new ReplicaLookup({
    orm,
    bus,
    timeoutMs: config.RPC_TIMEOUT_MS,
    logger: logger.child({ component: 'replicas' }),
  });
  const verifier = jwtVerifierFromConfig(config, watchMembershipVersions(bus));
  const idempotency = new PgIdempotencyStore(orm);
  return { config, logger, orm, bus, replicas, verifier, idempotency, clock: systemClock };
}

/** Closes everything {@link createDeps} opened. */
export async function closeDeps(deps: Deps): Promise<void> {
  await closeConnections(deps);
}

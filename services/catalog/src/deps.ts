/** The catalog service's composition root: every client it uses, opened once per process from the config. */
import { watchMembershipVersions, type Bus } from '@invoice/platform-bus';
import type { MikroORM } from '@invoice/platform-db';
import { jwtVerifierFromConfig, type JwtVerifier } from '@invoice/platform-http';
import type { Logger } from '@invoice/platform-logger';
import { closeQueue, createQueue, type Queue } from '@invoice/platform-queue';
import { closeConnections, openConnections } from '@invoice/platform-service';
import { ObjectStorage, storageOptionsFromConfig } from '@invoice/platform-storage';
import type { Config } from './config.ts';
import { entities, migrations } from './db/index.ts';
import { IMPORT_QUEUE } from './workers/import-queue.ts';

/** The service's name: logger base, NATS connection name, its CATALOG stream and its schema. */
export const SERVICE = 'catalog';

/** Everything the routes, the RPC responders and the import worker use. */
export interface Deps {
  config: Readonly<Config>;
  logger: Logger;
  orm: MikroORM;
  bus: Bus;
  /** Uploaded spreadsheets (`orgs/{orgId}/imports/{importId}`). */
  storage: ObjectStorage;
  /** Producer side of `catalog-import` (fail-fast connection; the worker has its own). */
  importQueue: Queue;
  /** Checks the access tokens the auth service issues (against its JWKS). */
  verifier: JwtVerifier;
}

/** Opens the database, NATS, S3 and Redis clients and sets up token verification. */
export async function createDeps(config: Readonly<Config>, logger: Logger): Promise<Deps> {
  const { orm, bus } = await openConnections(config, logger, { name: SERVICE, entities, migrations });
  const storage = new ObjectStorage(storageOptionsFromConfig(config));
  const importQueue = createQueue(IMPORT_QUEUE, { redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX });
  return {
    config,
    logger,
    orm,
    bus,
    storage,
    importQueue,
    verifier: jwtVerifierFromConfig(config, watchMembershipVersions(bus)),
  };
}

/** Closes everything {@link createDeps} opened. */
export async function closeDeps(deps: Deps): Promise<void> {
  await closeQueue(deps.importQueue);
  deps.storage.close();
  await closeConnections(deps);
}

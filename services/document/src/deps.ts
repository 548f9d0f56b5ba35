/** The document service's composition root: every client it uses, opened once per process from the config. */
import { watchMembershipVersions, type Bus } from '@invoice/platform-bus';
import type { MikroORM } from '@invoice/platform-db';
import { jwtVerifierFromConfig, type JwtVerifier } from '@invoice/platform-http';
import type { Logger } from '@invoice/platform-logger';
import { outboxEntities } from '@invoice/platform-outbox';
import { closeQueue, createQueue, type Queue } from '@invoice/platform-queue';
import { closeConnections, openConnections } from '@invoice/platform-service';
import { ObjectStorage, storageOptionsFromConfig } from '@invoice/platform-storage';
import type { Config } from './config.ts';
import { DocumentEntity } from './db/document.entity.ts';
import { migrations } from './db/migrations/index.ts';
import { RENDER_QUEUE } from './workers/render-queue.ts';

/** The service's name: logger base, NATS connection name, its DOCUMENT stream and its schema. */
export const SERVICE = 'document';

/** Everything the routes, consumers and workers use. */
export interface Deps {
  config: Readonly<Config>;
  logger: Logger;
  orm: MikroORM;
  bus: Bus;
  storage: ObjectStorage;
  /** Producer side of `document-render` (fail-fast connection; the worker has its own). */
  renderQueue: Queue;
  verifier: JwtVerifier;
}

/** Opens the database, NATS, S3 and Redis clients. */
export async function createDeps(config: Readonly<Config>, logger: Logger): Promise<Deps> {
  const { orm, bus } = await openConnections(config, logger, {
    name: SERVICE,
    entities: [DocumentEntity, ...outboxEntities],
    migrations,
  });
  const storage = new ObjectStorage(storageOptionsFromConfig(config));
  const renderQueue = createQueue(RENDER_QUEUE, { redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX });
  return {
    config,
    logger,
    orm,
    bus,
    storage,
    renderQueue,
    verifier: jwtVerifierFromConfig(config, watchMembershipVersions(bus)),
  };
}

/** Closes everything {@link createDeps} opened. */
export async function closeDeps(deps: Deps): Promise<void> {
  await closeQueue(deps.renderQueue);
  deps.storage.close();
  await closeConnections(deps);
}

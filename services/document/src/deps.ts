/** The document service's composition root: every client it uses, opened once per process from the config. */
import { Bus } from '@invoice/platform-bus';
import { createOrm, type MikroORM } from '@invoice/platform-db';
import { createJwtVerifier, type JwtVerifier } from '@invoice/platform-http';
import type { Logger } from '@invoice/platform-logger';
import { outboxEntities } from '@invoice/platform-outbox';
import { closeQueue, createQueue, type Queue } from '@invoice/platform-queue';
import { closeConnections } from '@invoice/platform-service';
import { ObjectStorage } from '@invoice/platform-storage';
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
  const orm = await createOrm({
    url: config.DATABASE_URL,
    schema: SERVICE,
    entities: [DocumentEntity, ...outboxEntities],
    migrations,
    logger,
  });
  const bus = await Bus.connect({
    url: config.NATS_URL,
    namespace: config.NATS_NAMESPACE,
    name: SERVICE,
    logger,
  });
  const storage = new ObjectStorage({
    endpoint: config.S3_ENDPOINT,
    ...(config.S3_PUBLIC_ENDPOINT ? { publicEndpoint: config.S3_PUBLIC_ENDPOINT } : {}),
    region: config.S3_REGION,
    bucket: config.S3_BUCKET,
    accessKeyId: config.S3_ACCESS_KEY_ID,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY,
  });
  const renderQueue = createQueue(RENDER_QUEUE, { redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX });
  const verifier = createJwtVerifier({
    jwksUrl: config.AUTH_JWKS_URL,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });
  return { config, logger, orm, bus, storage, renderQueue, verifier };
}

/** Closes everything {@link createDeps} opened. */
export async function closeDeps(deps: Deps): Promise<void> {
  await closeQueue(deps.renderQueue);
  deps.storage.close();
  await closeConnections(deps);
}

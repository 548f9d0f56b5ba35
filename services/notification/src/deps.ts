/** The notification service's dependencies, created from config and closed at shutdown. */
import { Bus } from '@invoice/platform-bus';
import { createOrm, type MikroORM } from '@invoice/platform-db';
import { createJwtVerifier, type JwtVerifier } from '@invoice/platform-http';
import type { Logger } from '@invoice/platform-logger';
import { outboxEntities } from '@invoice/platform-outbox';
import { closeQueue, createQueue, type Queue } from '@invoice/platform-queue';
import type { Config } from './config.ts';
import { Document } from './db/document.entity.ts';
import { Email } from './db/email.entity.ts';
import { migrations } from './db/migrations/index.ts';
import { DocumentStore } from './workers/document-store.ts';
import { EMAIL_QUEUE, EmailEnqueuer } from './workers/email-queue.ts';
import { createMailer, type Mailer } from './workers/mailer.ts';

export const SERVICE = 'notification';

/** Everything the API, consumers and workers use. */
export interface Deps {
  config: Config;
  logger: Logger;
  orm: MikroORM;
  bus: Bus;
  queue: Queue;
  enqueuer: EmailEnqueuer;
  verifier: JwtVerifier;
  documents: DocumentStore;
  mailer: Mailer;
}

/** Opens the ORM for the `notification` schema. */
export function openOrm(config: Config, logger: Logger): Promise<MikroORM> {
  return createOrm({
    url: config.DATABASE_URL,
    schema: SERVICE,
    entities: [Email, Document, ...outboxEntities],
    migrations,
    logger,
  });
}

/** Connects to Postgres, NATS and Redis and prepares the S3 and SMTP clients (which connect lazily). */
export async function createDeps(config: Config, logger: Logger): Promise<Deps> {
  const orm = await openOrm(config, logger);
  const bus = await Bus.connect({
    url: config.NATS_URL,
    namespace: config.NATS_NAMESPACE,
    name: SERVICE,
    logger,
  });
  const queue = createQueue(EMAIL_QUEUE, { redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX });
  await queue.waitUntilReady();
  const enqueuer = new EmailEnqueuer(
    queue,
    { attempts: config.EMAIL_ATTEMPTS, backoffMs: config.EMAIL_BACKOFF_MS },
    logger.child({ component: 'email-queue' }),
  );
  const documents = new DocumentStore({
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    bucket: config.S3_BUCKET,
    accessKeyId: config.S3_ACCESS_KEY_ID,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY,
  });
  const verifier = createJwtVerifier({
    jwksUrl: config.AUTH_JWKS_URL,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });
  return { config, logger, orm, bus, queue, enqueuer, verifier, documents, mailer: createMailer(config) };
}

/** Closes what the service owns besides the ORM and the bus (runService closes those). */
export async function closeDeps(deps: Deps): Promise<void> {
  deps.mailer.close();
  deps.documents.close();
  await closeQueue(deps.queue);
}

/** The notification service's composition root: every client it uses, opened once per process from the config. */
import { Bus } from '@invoice/platform-bus';
import { createOrm, type MikroORM } from '@invoice/platform-db';
import { createJwtVerifier, type JwtVerifier } from '@invoice/platform-http';
import type { Logger } from '@invoice/platform-logger';
import { outboxEntities } from '@invoice/platform-outbox';
import { closeQueue, createQueue, type Queue } from '@invoice/platform-queue';
import { closeConnections } from '@invoice/platform-service';
import type { Config } from './config.ts';
import { Document } from './db/document.entity.ts';
import { Email } from './db/email.entity.ts';
import { migrations } from './db/migrations/index.ts';
import { DocumentStore } from './workers/document-store.ts';
import { EMAIL_QUEUE, EmailEnqueuer } from './workers/email-queue.ts';
import { createMailer, type Mailer } from './workers/mailer.ts';

/** The service's name: logger base, NATS connection name, its NOTIFICATION stream and its schema. */
export const SERVICE = 'notification';

/** Everything the API, consumers and workers use. */
export interface Deps {
  config: Readonly<Config>;
  logger: Logger;
  orm: MikroORM;
  bus: Bus;
  /** Producer side of `notification-email` (fail-fast connection; the worker has its own). */
  queue: Queue;
  enqueuer: EmailEnqueuer;
  verifier: JwtVerifier;
  /** Reads the rendered PDFs to attach (from the bucket each document names). */
  documents: DocumentStore;
  mailer: Mailer;
}

/** Connects to Postgres, NATS and Redis and prepares the S3 and SMTP clients (which connect lazily). */
export async function createDeps(config: Readonly<Config>, logger: Logger): Promise<Deps> {
  const orm = await createOrm({
    url: config.DATABASE_URL,
    schema: SERVICE,
    entities: [Email, Document, ...outboxEntities],
    migrations,
    logger,
  });
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

/** Closes everything {@link createDeps} opened. */
export async function closeDeps(deps: Deps): Promise<void> {
  deps.mailer.close();
  deps.documents.close();
  await closeQueue(deps.queue);
  await closeConnections(deps);
}

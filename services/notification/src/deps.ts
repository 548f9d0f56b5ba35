/** The notification service's composition root: every client it uses, opened once per process from the config. */
import { watchMembershipVersions, type Bus } from '@invoice/platform-bus';
import type { MikroORM } from '@invoice/platform-db';
import { jwtVerifierFromConfig, type JwtVerifier } from '@invoice/platform-http';
import type { Logger } from '@invoice/platform-logger';
import { outboxEntities } from '@invoice/platform-outbox';
import { closeQueue, createQueue, type Queue } from '@invoice/platform-queue';
import { closeConnections, openConnections } from '@invoice/platform-service';
import { storageOptionsFromConfig } from '@invoice/platform-storage';
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
  const { orm, bus } = await openConnections(config, logger, {
    name: SERVICE,
    entities: [Email, Document, ...outboxEntities],
    migrations,
  });
  const queue = createQueue(EMAIL_QUEUE, { redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX });
  await queue.waitUntilReady();
  const enqueuer = new EmailEnqueuer(
    queue,
    { attempts: config.EMAIL_ATTEMPTS, backoffMs: config.EMAIL_BACKOFF_MS },
    logger.child({ component: 'email-queue' }),
  );
  const documents = new DocumentStore(storageOptionsFromConfig(config));
  const verifier = jwtVerifierFromConfig(config, watchMembershipVersions(bus));
  return { config, logger, orm, bus, queue, enqueuer, verifier, documents, mailer: createMailer(config) };
}

/** Closes everything {@link createDeps} opened. */
export async function closeDeps(deps: Deps): Promise<void> {
  deps.mailer.close();
  deps.documents.close();
  await closeQueue(deps.queue);
  await closeConnections(deps);
}

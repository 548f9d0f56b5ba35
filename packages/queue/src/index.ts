/**
 * BullMQ queue and worker factories with production defaults: workers use a blocking connection
 * (`maxRetriesPerRequest: null`), producers on request paths fail fast (`enableOfflineQueue: false`),
 * jobs have explicit attempts, exponential backoff and bounded retention of finished jobs.
 */
import {
  Queue,
  Worker,
  UnrecoverableError,
  type JobsOptions,
  type Processor,
  type WorkerOptions,
} from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from '@invoice/platform-logger';

export { UnrecoverableError, Queue, Worker };
export { Reconciler, type ReconcilerOptions } from './reconciler.ts';
export type { Job, JobsOptions } from 'bullmq';

/** Where Redis is and which key prefix isolates this environment. */
export interface QueueConnectionOptions {
  redisUrl: string;
  prefix: string;
}

/** Default job options: 8 attempts with exponential backoff from 1 s; finished jobs kept bounded. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/**
 * Creates (or updates) a periodic job: one job named `jobName` every `intervalMs`. Every replica
 * upserts the same `schedulerId`, so there is one schedule however many run; the job itself must be
 * harmless when repeated or run twice.
 */
export async function scheduleEvery(
  queue: Queue,
  schedulerId: string,
  jobName: string,
  intervalMs: number,
): Promise<void> {
  await queue.upsertJobScheduler(
    schedulerId,
    { every: intervalMs },
    {
      name: jobName,
      data: {},
      opts: {
        attempts: 3,
        backoff: { type: 'exponential', delay: 5_000 },
        removeOnComplete: 100,
        removeOnFail: 100,
      },
    },
  );
}

/** A producer: a queue on a fail-fast connection (requests must not hang when Redis is down). */
export function createQueue(name: string, options: QueueConnectionOptions): Queue {
  const connection = new Redis(options.redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: false,
  });
  connection.on('error', () => {
    /* surfaced through failed add() calls and /readyz */
  });
  const queue = new Queue(name, {
    connection,
    prefix: options.prefix,
    defaultJobOptions: DEFAULT_JOB_OPTIONS,
  });
  connections.set(queue, connection);
  return queue;
}

const connections = new WeakMap<Queue, Redis>();

/** A consumer: a worker on a blocking connection that retries Redis forever. */
export function createWorker<T>(
  name: string,
  processor: Processor<T>,
  options: QueueConnectionOptions & { logger: Logger; concurrency?: number } & Partial<WorkerOptions>,
): Worker<T> {
  const { redisUrl, prefix, logger, concurrency, ...rest } = options;
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  connection.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  const worker = new Worker<T>(name, processor, {
    connection,
    prefix,
    concurrency: concurrency ?? 4,
    autorun: true,
    ...rest,
  });
  worker.on('failed', (job, error) =>
    logger.warn({ jobId: job?.id, queue: name, attemptsMade: job?.attemptsMade, err: error }, 'job failed'),
  );
  worker.on('completed', (job) => logger.debug({ jobId: job.id, queue: name }, 'job completed'));
  worker.on('error', (error) => logger.error({ err: error, queue: name }, 'worker error'));
  workerConnections.set(worker, connection);
  return worker;
}

const workerConnections = new WeakMap<Worker, Redis>();

/** Closes a worker (waiting for its running jobs) and the connection it was given. */
export async function closeWorker(worker: Worker): Promise<void> {
  await worker.close();
  workerConnections.get(worker)?.disconnect();
}

/** Closes a queue and the connection it owns. */
export async function closeQueue(queue: Queue): Promise<void> {
  await queue.close();
  connections.get(queue)?.disconnect();
}

/** True when Redis answers PING through the queue's connection (for `/readyz`). */
export async function isQueueReady(queue: Queue): Promise<boolean> {
  try {
    const connection = connections.get(queue);
    return connection !== undefined && (await connection.ping()) === 'PONG';
  } catch {
    return false;
  }
}

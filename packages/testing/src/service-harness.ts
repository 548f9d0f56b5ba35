/**
 * One running service per test file, built from the same {@link ServiceDefinition} as its
 * `main.ts`: a fresh database (migrated), a NATS namespace and BullMQ prefix of its own, a stand-in
 * token issuer, and on request an S3 bucket and an SMTP sink. Consumers and the outbox relay run
 * (the relay can be driven by hand instead); job workers start when the test asks.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createEnvelope, validateEvent, type EventEnvelope } from '@invoice/contracts';
import { startConsumers } from '@invoice/platform-bus';
import { migrate } from '@invoice/platform-db';
import type { App } from '@invoice/platform-http';
import { OutboxRelay } from '@invoice/platform-outbox';
import type { RuntimeConfig, RuntimeDeps, ServiceDefinition, Stopper } from '@invoice/platform-service';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { deleteNamespaceStreams, silentLogger, testNamespace } from './helpers.ts';
import { infrastructure } from './infrastructure.ts';
import { startTestIssuer, type TestIssuer } from './issuer.ts';
import { startS3, type TestS3 } from './s3.ts';
import { startSmtpSink, type SmtpSink } from './smtp.ts';
import { readStreamEvents } from './streams.ts';

/** What a harness starts besides the service itself. */
export interface HarnessOptions<D> {
  /** Configuration variables on top of the harness's own (database, NATS, Redis, issuer...). */
  env?: Record<string, string>;
  /** Start an S3 bucket and point S3_* at it. */
  s3?: boolean;
  /** Start an SMTP sink and point SMTP_HOST/SMTP_PORT at it. */
  smtp?: boolean;
  /** Run the outbox relay continuously (`auto`, default) or only through `relayOnce()`/`events()`. */
  relay?: 'auto' | 'manual';
  /** Run the event consumers (default true). */
  consumers?: boolean;
  /** Start the job workers at once (default false: the test calls `startWorkers()`). */
  workers?: boolean;
  /** Changes the dependencies before the app is built (e.g. a test clock or key set). */
  adjustDeps?: (deps: D) => D | Promise<D>;
}

/** A response of {@link ServiceHarness.call}, its body parsed. */
export interface CallResult<B = Record<string, unknown>> {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: B;
}

/** The running service and its handles. */
export interface ServiceHarness<C extends RuntimeConfig, D extends RuntimeDeps<C>> {
  config: Readonly<C>;
  deps: D;
  app: App;
  issuer: TestIssuer;
  db: TestDatabase;
  namespace: string;
  /** Present when started with `s3: true`. */
  s3?: TestS3;
  /** Present when started with `smtp: true`. */
  smtp?: SmtpSink;
  /** A bearer token of a user of `orgId` (role `owner`, no extra permissions unless given). */
  token(
    orgId: string,
    claims?: {
      userId?: string;
      role?: string;
      permissions?: string[];
      membershipVersion?: number;
      readOnly?: boolean;
    },
  ): Promise<string>;
  /** Injects a request; `token` omitted means no Authorization header. */
  call<B = Record<string, unknown>>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<CallResult<B>>;
  /** Publishes the pending outbox rows now; returns how many. */
  relayOnce(): Promise<number>;
  /**
   * Every event of `type` in its stream on this namespace; without a type, every event of the
   * service's own stream. Pending outbox rows are published first.
   */
  events<T = Record<string, unknown>>(type?: string): Promise<EventEnvelope<T>[]>;
  /** Publishes an event as another service's relay would (checked against its contract first). */
  publish<T>(event: {
    type: string;
    orgId: string;
    subject: string;
    data: T;
    id?: string;
    source?: string;
  }): Promise<EventEnvelope<T>>;
  /** Starts the job workers and reconcilers (once). */
  startWorkers(): Promise<void>;
  close(): Promise<void>;
}

/** Starts `service` for one test file; call `close()` in `after`. */
export async function startServiceHarness<C extends RuntimeConfig, D extends RuntimeDeps<C>>(
  service: ServiceDefinition<C, D>,
  options: HarnessOptions<D> = {},
): Promise<ServiceHarness<C, D>> {
  const infra = await infrastructure();
  const namespace = testNamespace();
  const [db, issuer, s3, smtp] = await Promise.all([
    createTestDatabase(),
    startTestIssuer(),
    options.s3 ? startS3() : undefined,
    options.smtp ? startSmtpSink() : undefined,
  ]);
  const cleanUp = () => Promise.all([db.drop(), issuer.stop(), s3?.stop(), smtp?.stop()]);
  try {
    return await startOn(service, options, { infra, namespace, db, issuer, s3, smtp, cleanUp });
  } catch (error) {
    await cleanUp().catch(() => undefined);
    throw error;
  }
}

/** The servers a harness made before it starts the service on them. */
interface HarnessServers {
  infra: Awaited<ReturnType<typeof infrastructure>>;
  namespace: string;
  db: TestDatabase;
  issuer: TestIssuer;
  s3: TestS3 | undefined;
  smtp: SmtpSink | undefined;
  cleanUp: () => Promise<unknown>;
}

async function startOn<C extends RuntimeConfig, D extends RuntimeDeps<C>>(
  service: ServiceDefinition<C, D>,
  options: HarnessOptions<D>,
  { infra, namespace, db, issuer, s3, smtp, cleanUp }: HarnessServers,
): Promise<ServiceHarness<C, D>> {
  const config = service.readConfig({
    DATABASE_URL: db.url,
    NATS_URL: infra.natsUrl,
    NATS_NAMESPACE: namespace,
    REDIS_URL: infra.redisUrl,
    QUEUE_PREFIX: namespace,
    AUTH_JWKS_URL: issuer.jwksUrl,
    JWT_ISSUER: issuer.issuer,
    JWT_AUDIENCE: issuer.audience,
    LOG_LEVEL: 'silent',
    ...(s3
      ? {
          S3_ENDPOINT: s3.options.endpoint,
          S3_REGION: s3.options.region,
          S3_BUCKET: s3.options.bucket,
          S3_ACCESS_KEY_ID: s3.options.accessKeyId,
          S3_SECRET_ACCESS_KEY: s3.options.secretAccessKey,
        }
      : {}),
    ...(smtp ? { SMTP_HOST: smtp.host, SMTP_PORT: String(smtp.port) } : {}),
    ...options.env,
  });
  const created = await service.createDeps(config, silentLogger());
  let deps = created;
  let app: App;
  try {
    deps = options.adjustDeps ? await options.adjustDeps(created) : created;
    if (deps.orm) await migrate(deps.orm);
    if (deps.bus) await deps.bus.ensureStreams();
    await service.prepare?.(deps);
    service.responders?.(deps);
    app = await service.buildApp(deps);
    await app.ready();
  } catch (error) {
    await service.closeDeps(deps).catch(() => undefined);
    throw error;
  }
  const { orm, bus } = deps;

  const stoppers: Stopper[] = [];
  if (bus && options.consumers !== false) {
    const consumers = service.consumers?.(deps) ?? [];
    if (consumers.length > 0) stoppers.push(await startConsumers(bus, consumers, { ackWaitMs: 5_000 }));
  }
  const relay = orm && bus ? new OutboxRelay(orm, bus, deps.logger, { idleMs: 20 }) : undefined;
  if (relay && options.relay !== 'manual') {
    relay.start();
    stoppers.push(() => relay.stop());
  }
  let workersStarted = false;
  const startWorkers = async () => {
    if (workersStarted) return;
    workersStarted = true;
    stoppers.push(...((await service.startWorkers?.(deps)) ?? []));
  };
  if (options.workers) await startWorkers();

  const relayOnce = async () => {
    if (!relay) return 0;
    let total = 0;
    for (let count = await relay.relayOnce(); count > 0; count = await relay.relayOnce()) total += count;
    return total;
  };

  return {
    config,
    deps,
    app,
    issuer,
    db,
    namespace,
    ...(s3 ? { s3 } : {}),
    ...(smtp ? { smtp } : {}),
    token: (orgId, claims = {}) =>
      issuer.sign({
        orgId,
        role: 'owner',
        permissions: [],
        ...claims,
        userId: claims.userId ?? randomUUID(),
      }),
    async call(method, url, callOptions = {}) {
      const headers: Record<string, string> = { ...callOptions.headers };
      if (callOptions.token) headers.authorization = `Bearer ${callOptions.token}`;
      const response = await app.inject({
        method,
        url,
        headers,
        ...(callOptions.body === undefined ? {} : { payload: callOptions.body as object }),
      });
      const text = response.body;
      const isJson = /json/.test(String(response.headers['content-type'] ?? ''));
      return {
        status: response.statusCode,
        headers: response.headers,
        body: (text && isJson ? JSON.parse(text) : {}) as never,
      };
    },
    relayOnce,
    async events<T>(type?: string) {
      if (!bus) return [];
      await relayOnce();
      return readStreamEvents<T>(bus, type, type ?? `${service.name}.events`);
    },
    async publish(event) {
      if (!bus) throw new Error(`${service.name} has no bus`);
      const envelope = createEnvelope({ source: 'test', ...event });
      const problems = validateEvent(event.type, envelope);
      if (problems.length > 0) throw new Error(`test event breaks its contract: ${problems.join('; ')}`);
      await bus.publish(envelope);
      return envelope;
    },
    startWorkers,
    async close() {
      await app.close();
      for (const stop of stoppers.reverse()) await stop();
      await service.closeDeps(deps);
      await deleteQueueKeys(infra.redisUrl, namespace);
      await deleteNamespaceStreams(infra.natsUrl, namespace).catch(() => undefined);
      await cleanUp();
    },
  };
}

/** Removes every Redis key under the test's BullMQ prefix. */
async function deleteQueueKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // Redis not used or not reachable: nothing of this test lives there.
  } finally {
    redis.disconnect();
  }
}

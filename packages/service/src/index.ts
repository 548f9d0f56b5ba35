/**
 * The process runtime of a service. Every service describes itself once as a
 * {@link ServiceDefinition} (its config reader, its composition root `createDeps`/`closeDeps`, its
 * app, consumers, responders and workers), and its `main.ts` is one line: `await runMain(service)`.
 * The same definition drives the test harness (`@invoice/platform-testing`), so tests build the
 * service exactly as production does.
 *
 * `runService` runs the roles chosen by `ROLE` (`api` serves HTTP and answers RPC, `worker` runs
 * event consumers and job workers, `relay` publishes the outbox, `all` does everything, `migrate`
 * applies the migrations and exits) and shuts down gracefully on SIGTERM/SIGINT: HTTP first, then
 * consumers and workers (finishing what they hold), then the relay, then the connections.
 */
import { streamFor } from '@invoice/contracts';
import { ConfigError } from '@invoice/platform-config';
import { Bus, startConsumers, type ConsumerDefinition } from '@invoice/platform-bus';
import { createOrm, migrate, type DatabaseOptions, type MikroORM } from '@invoice/platform-db';
import type { App } from '@invoice/platform-http';
import { createLogger, type Logger } from '@invoice/platform-logger';
import { OutboxRelay } from '@invoice/platform-outbox';

/** Which parts of a service a process runs. */
export type Role = 'all' | 'api' | 'worker' | 'relay' | 'migrate';

/** Something that can be stopped at shutdown. */
export type Stopper = () => Promise<void> | void;

/** The configuration every service has (see `CommonConfig` in `@invoice/platform-config`). */
export interface RuntimeConfig {
  ROLE: Role;
  HOST: string;
  PORT: number;
  LOG_LEVEL: string;
}

/**
 * What a service's composition root (`src/deps.ts`) returns: its config and logger, and the
 * connections the runtime drives. A service without a database or bus (the gateway) omits them.
 */
export interface RuntimeDeps<C extends RuntimeConfig = RuntimeConfig> {
  config: Readonly<C>;
  logger: Logger;
  orm?: MikroORM;
  bus?: Bus;
}

/** A service, described once for `main.ts` and the test harness. */
export interface ServiceDefinition<C extends RuntimeConfig, D extends RuntimeDeps<C>> {
  /** Service name: logger base, NATS connection name, own stream (`<name>.events`). */
  name: string;
  /** Reads and validates the configuration (from `process.env` unless `env` is given). */
  readConfig(env?: Record<string, string | undefined>): Readonly<C>;
  /**
   * The composition root: opens every connection and wires the application services. It runs
   * before the migrations (which need the ORM it opens), so it must not query the service's tables.
   */
  createDeps(config: Readonly<C>, logger: Logger): Promise<D>;
  /** Closes everything `createDeps` opened (queues, S3, SMTP, the bus, the ORM). */
  closeDeps(deps: D): Promise<void>;
  /** The HTTP app (never listens itself). */
  buildApp(deps: D): Promise<App>;
  /** Event consumers, run by the `worker` role. */
  consumers?(deps: D): readonly ConsumerDefinition[];
  /** RPC responders, run with the `api` role (they answer on behalf of the API). */
  responders?(deps: D): void;
  /** Job workers and reconcilers, run by the `worker` role; returns how to stop them. */
  startWorkers?(deps: D): Promise<Stopper[]>;
  /** One-off preparation before any role starts (e.g. ensuring the S3 bucket). */
  prepare?(deps: D): Promise<void>;
}

/** A running service. */
export interface RunningService {
  /** The listening app, when the process runs the API. */
  app?: App;
  stop(): Promise<void>;
}

/**
 * The whole of a service's `main.ts`: reads the config (a bad variable is logged by name and the
 * process exits 1), opens the dependencies, runs the roles and installs the signal handlers.
 */
export async function runMain<C extends RuntimeConfig, D extends RuntimeDeps<C>>(
  service: ServiceDefinition<C, D>,
): Promise<void> {
  // At the default level until the configuration names one, so a bad variable is reported too.
  let logger = createLogger(service.name);
  try {
    const config = service.readConfig();
    logger = createLogger(service.name, config.LOG_LEVEL);
    const deps = await service.createDeps(config, logger);
    const running = await runService(service, deps);
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        const timer = setTimeout(() => process.exit(1), 25_000);
        timer.unref();
        void running.stop().then(() => process.exit(0));
      });
    }
  } catch (error) {
    exitOnStartupError(logger, error);
  }
}

/**
 * Runs the roles of `deps.config.ROLE` on open dependencies; resolves once everything is started.
 * `ROLE=migrate` applies the migrations, closes and resolves with nothing left running.
 */
export async function runService<C extends RuntimeConfig, D extends RuntimeDeps<C>>(
  service: ServiceDefinition<C, D>,
  deps: D,
): Promise<RunningService> {
  const { config, logger, orm, bus } = deps;
  const role = config.ROLE;
  // The API replicas migrate on start (dev and simple deployments); ROLE=migrate is the pre-rollout
  // Job. Migrations run under an advisory lock, so replicas starting together are safe.
  if (orm && (role === 'all' || role === 'api' || role === 'migrate')) await migrate(orm, logger);
  if (role === 'migrate') {
    await service.closeDeps(deps);
    logger.info('ROLE=migrate: schema up to date, exiting');
    return { stop: async () => undefined };
  }
  const runs = (wanted: Role) => role === 'all' || role === wanted;
  const stoppers: { name: string; stop: Stopper }[] = [];
  const consumers = runs('worker') ? (service.consumers?.(deps) ?? []) : [];

  if (bus) {
    // Only its own stream (the relay publishes there): on a locked-down NATS a service may manage
    // no other (deploy/nats); the consumers wait for the streams they read to be created by their owners.
    await bus.ensureStreams([streamFor(`${service.name}.events`)]);
  }
  await service.prepare?.(deps);

  let app: App | undefined;
  if (runs('api')) {
    service.responders?.(deps);
    app = await service.buildApp(deps);
    await app.listen({ host: config.HOST, port: config.PORT });
    const listening = app;
    stoppers.push({ name: 'http', stop: () => listening.close() });
  }
  if (runs('worker')) {
    if (bus && consumers.length > 0)
      stoppers.push({ name: 'consumers', stop: await startConsumers(bus, consumers) });
    for (const stop of (await service.startWorkers?.(deps)) ?? []) stoppers.push({ name: 'worker', stop });
  }
  if (orm && bus && runs('relay')) {
    const relay = new OutboxRelay(orm, bus, logger.child({ component: 'outbox-relay' }));
    relay.start();
    stoppers.push({ name: 'relay', stop: () => relay.stop() });
  }
  logger.info({ role, port: app ? config.PORT : undefined }, `${service.name} started`);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      logger.info('shutting down');
      for (const { name, stop: stopOne } of stoppers) {
        try {
          await stopOne();
        } catch (error) {
          logger.error({ err: error, part: name }, 'error while stopping');
        }
      }
      await service
        .closeDeps(deps)
        .catch((error: unknown) => logger.error({ err: error }, 'error while closing'));
      logger.info('stopped');
    })();
    return stopping;
  };
  return { ...(app ? { app } : {}), stop };
}

/**
 * Logs a fatal start-up error and exits non-zero. A configuration error is logged with the list of
 * bad variables (each named), so the operator sees what to fix without a stack trace.
 */
export function exitOnStartupError(logger: Logger, error: unknown): never {
  if (error instanceof ConfigError) logger.fatal({ problems: error.problems }, error.message);
  else logger.fatal({ err: error }, 'failed to start');
  process.exit(1);
}

/** The variables {@link openConnections} reads (part of `CommonConfig` in `@invoice/platform-config`). */
export interface ConnectionConfig {
  DATABASE_URL: string;
  NATS_URL: string;
  NATS_NAMESPACE: string;
  NATS_USER?: string;
  NATS_PASSWORD?: string;
  NATS_TLS_CA_FILE?: string;
  NATS_TLS_CERT_FILE?: string;
  NATS_TLS_KEY_FILE?: string;
}

/**
 * Opens a service's ORM on its own schema (named after the service; no migrations run here) and
 * its NATS connection (named after the service too). When NATS cannot be reached, the ORM is
 * closed again before the error is rethrown.
 */
export async function openConnections(
  config: Readonly<ConnectionConfig>,
  logger: Logger,
  service: { name: string } & Pick<DatabaseOptions, 'entities' | 'migrations'>,
): Promise<{ orm: MikroORM; bus: Bus }> {
  const { name, entities, migrations } = service;
  const orm = await createOrm({ url: config.DATABASE_URL, schema: name, entities, migrations, logger });
  try {
    const bus = await Bus.connect({
      url: config.NATS_URL,
      namespace: config.NATS_NAMESPACE,
      name,
      logger,
      ...(config.NATS_USER ? { user: config.NATS_USER } : {}),
      ...(config.NATS_PASSWORD ? { password: config.NATS_PASSWORD } : {}),
      tls: {
        ...(config.NATS_TLS_CA_FILE ? { caFile: config.NATS_TLS_CA_FILE } : {}),
        ...(config.NATS_TLS_CERT_FILE ? { certFile: config.NATS_TLS_CERT_FILE } : {}),
        ...(config.NATS_TLS_KEY_FILE ? { keyFile: config.NATS_TLS_KEY_FILE } : {}),
      },
    });
    return { orm, bus };
  } catch (error) {
    await orm.close().catch(() => undefined);
    throw error;
  }
}

/** Closes a bus and an ORM, whichever exist, ignoring errors of connections already gone. */
export async function closeConnections(deps: { bus?: Bus; orm?: MikroORM }): Promise<void> {
  await deps.bus?.close().catch(() => undefined);
  await deps.orm?.close().catch(() => undefined);
}

/**
 * The process runtime of a service (used by each `main.ts`): it runs the roles chosen by `ROLE`
 * (`api` serves HTTP, `worker` runs event consumers and job workers, `relay` publishes the outbox,
 * `all` does everything, `migrate` applies the migrations and exits) and shuts down gracefully on SIGTERM/SIGINT: HTTP first, then consumers
 * and workers (finishing what they hold), then the relay, then the connections.
 */
import { streamFor } from '@invoice/contracts';
import type { ConsumerDefinition } from '@invoice/platform-bus';
import { startConsumers, type Bus } from '@invoice/platform-bus';
import type { App } from '@invoice/platform-http';
import type { Logger } from '@invoice/platform-logger';
import { migrate, type MikroORM } from '@invoice/platform-db';
import { OutboxRelay } from '@invoice/platform-outbox';

/** Which parts of a service a process runs. */
export type Role = 'all' | 'api' | 'worker' | 'relay' | 'migrate';

/** Something that can be stopped at shutdown. */
export type Stopper = () => Promise<void> | void;

/** What {@link runService} needs; each piece is optional so every service uses what it has. */
export interface ServiceSpec {
  name: string;
  role: Role;
  logger: Logger;
  host: string;
  port: number;
  orm: MikroORM;
  bus: Bus;
  buildApp?: () => Promise<App>;
  consumers?: readonly ConsumerDefinition[];
  /** Starts job workers / reconcilers; returns how to stop them. */
  startWorkers?: () => Promise<Stopper[]>;
  /** Closes service-owned clients (queues, S3, SMTP) after everything else stopped. */
  close?: Stopper;
}

/** Runs the roles and installs signal handlers; resolves once everything is started. */
export async function runService(spec: ServiceSpec): Promise<{ stop: () => Promise<void> }> {
  const { role, logger } = spec;
  // The API replicas migrate on start (dev and simple deployments); ROLE=migrate is the pre-rollout
  // Job. Migrations are transactional and idempotent, so concurrent starters are safe.
  if (role === 'all' || role === 'api' || role === 'migrate') await migrate(spec.orm, logger);
  if (role === 'migrate') {
    await spec.bus.close().catch(() => undefined);
    await spec.orm.close();
    logger.info('migrations applied; exiting');
    process.exit(0);
  }
  const runs = (wanted: Role) => role === 'all' || role === wanted;
  const stoppers: { name: string; stop: Stopper }[] = [];

  // Only the streams this process touches: its own (the relay publishes there) and those it consumes.
  const streams = new Set([
    streamFor(`${spec.name}.events`),
    ...(spec.consumers ?? []).map((c) => streamFor(c.subject)),
  ]);
  await spec.bus.ensureStreams([...streams]);

  let app: App | undefined;
  if (runs('api') && spec.buildApp) {
    app = await spec.buildApp();
    await app.listen({ host: spec.host, port: spec.port });
    stoppers.push({ name: 'http', stop: () => app?.close() });
  }
  if (runs('worker')) {
    if (spec.consumers?.length) {
      const stopConsumers = await startConsumers(spec.bus, spec.consumers);
      stoppers.push({ name: 'consumers', stop: stopConsumers });
    }
    for (const stop of (await spec.startWorkers?.()) ?? []) stoppers.push({ name: 'worker', stop });
  }
  if (runs('relay')) {
    const relay = new OutboxRelay(spec.orm, spec.bus, logger.child({ component: 'outbox-relay' }));
    relay.start();
    stoppers.push({ name: 'relay', stop: () => relay.stop() });
  }
  logger.info({ role, port: app ? spec.port : undefined }, `${spec.name} started`);

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
      await spec.close?.();
      await spec.bus.close().catch(() => undefined);
      await spec.orm.close().catch(() => undefined);
      logger.info('stopped');
    })();
    return stopping;
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      const timer = setTimeout(() => process.exit(1), 25_000);
      timer.unref();
      void stop().then(() => process.exit(0));
    });
  }
  return { stop };
}

/** Logs a fatal start-up error (config, unreachable dependency) and exits non-zero. */
export function exitOnStartupError(logger: Logger, error: unknown): never {
  logger.fatal({ err: error }, 'failed to start');
  process.exit(1);
}

/** The service's dependencies, created once per process (or per test file) from the config. */
import { Bus } from '@invoice/platform-bus';
import { createOrm, type MikroORM } from '@invoice/platform-db';
import type { Logger } from '@invoice/platform-logger';
import { ReplicaLookup } from './application/replica-lookup.ts';
import type { Config } from './config.ts';
import { entities } from './db/entities.ts';
import { migrations } from './db/migrations/index.ts';

/** Postgres schema of the service. */
export const SCHEMA = 'invoicing';

/** What routes, application services and consumers use. */
export interface ServiceDeps {
  config: Config;
  logger: Logger;
  orm: MikroORM;
  bus: Bus;
  replicas: ReplicaLookup;
}

/** Opens the database and the bus connection. */
export async function connect(config: Config, logger: Logger): Promise<{ orm: MikroORM; bus: Bus }> {
  const orm = await createOrm({ url: config.DATABASE_URL, schema: SCHEMA, entities, migrations, logger });
  try {
    const bus = await Bus.connect({
      url: config.NATS_URL,
      namespace: config.NATS_NAMESPACE,
      name: 'invoicing',
      logger,
    });
    return { orm, bus };
  } catch (error) {
    await orm.close();
    throw error;
  }
}

/** Wires the application services around open connections. */
export function serviceDeps(base: { config: Config; logger: Logger; orm: MikroORM; bus: Bus }): ServiceDeps {
  const replicas = new ReplicaLookup({
    orm: base.orm,
    bus: base.bus,
    timeoutMs: base.config.RPC_TIMEOUT_MS,
    logger: base.logger.child({ component: 'replicas' }),
  });
  return { ...base, replicas };
}

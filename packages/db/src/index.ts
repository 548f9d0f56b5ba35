/**
 * MikroORM 7 for one service schema: ORM factory, committed migrations, and helpers for the unit
 * of work (fork per request / message / job, one transaction).
 */
import { MikroORM, type EntityManager, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import pg from 'pg';
import type { MigrationObject } from '@mikro-orm/core';
import type { Logger } from '@invoice/platform-logger';

export { MikroORM, type EntityManager };
export { Migration } from '@mikro-orm/migrations';
export { defineEntity, p } from '@mikro-orm/core';

/** What a service needs to open its database. */
export interface DatabaseOptions {
  /** postgres://user@host:port/database */
  url: string;
  /** The service's own Postgres schema; the ORM and its migrations live there. */
  schema: string;
  // MikroORM entity schemas (from `defineEntity`); typed loosely because each service defines its own.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  entities: any[];
  /** Committed migrations, oldest first. */
  migrations: MigrationObject[];
  logger?: Logger;
  poolMax?: number;
}

/** Opens the ORM for a service schema (no migrations run here). */
export async function createOrm(options: DatabaseOptions): Promise<MikroORM> {
  const config: Options = {
    clientUrl: options.url,
    schema: options.schema,
    entities: options.entities,
    extensions: [Migrator],
    pool: { min: 0, max: options.poolMax ?? 10 },
    debug: false,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    ignoreUndefinedInQuery: true,
    migrations: {
      migrationsList: options.migrations,
      tableName: 'mikro_orm_migrations',
      schema: options.schema,
      silent: true,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      snapshotOnMigrate: false,
      disableForeignKeys: false,
    },
  };
  return MikroORM.init(config);
}

/**
 * Creates the service schema if needed and applies every pending migration while holding a
 * session advisory lock on the schema (on a connection of its own), so replicas starting together
 * migrate one at a time and the later ones find nothing pending. Returns the names of what ran.
 */
export async function migrate(orm: MikroORM, logger?: Logger): Promise<string[]> {
  const schema = orm.config.get('schema');
  const lock = new pg.Client({ connectionString: orm.config.get('clientUrl') });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock(hashtext($1))', [`migrate:${schema}`]);
    await orm.em.getConnection().execute(`create schema if not exists "${schema}"`);
    const ran = await orm.migrator.up();
    const names = ran.map((migration) => migration.name);
    if (names.length > 0) logger?.info({ schema, migrations: names }, 'migrations applied');
    return names;
  } finally {
    await lock.end();
  }
}

/**
 * Runs `work` in one transaction on a fresh fork of the entity manager: the unit of work of a
 * request, message or job. Everything flushed inside commits or rolls back together.
 */
export async function inTransaction<T>(orm: MikroORM, work: (em: EntityManager) => Promise<T>): Promise<T> {
  return orm.em.fork().transactional(work);
}

/** True when the database answers a trivial query (for `/readyz`). */
export async function isDatabaseReady(orm: MikroORM): Promise<boolean> {
  try {
    await orm.em.getConnection().execute('select 1');
    return true;
  } catch {
    return false;
  }
}
export { idempotencyTableSql, PgIdempotencyStore } from './idempotency.ts';

/** Schema-qualified table name for raw SQL (the ORM's search path is never relied upon). */
export function qualified(em: EntityManager, table: string): string {
  return `"${em.config.get('schema')}"."${table}"`;
}

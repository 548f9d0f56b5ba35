/** Postgres storage of Idempotency-Key outcomes, in the service's own schema. */
import type { MikroORM } from '@mikro-orm/postgresql';

/** SQL creating the idempotency table (add to a service migration). Rows older than a day are purged. */
export function idempotencyTableSql(): string[] {
  return [
    `create table idempotency_keys (
      scope text not null,
      key text not null,
      request_hash text not null,
      state text not null default 'in_progress',
      status_code integer,
      body text,
      headers jsonb,
      created_at timestamptz not null default now(),
      primary key (scope, key)
    )`,
  ];
}

/** After this long an in-progress key is considered abandoned (its request died) and may be retried. */
const ABANDONED_AFTER_SECONDS = 60;

interface Row {
  request_hash: string;
  state: 'in_progress' | 'done';
  status_code: number | null;
  body: string | null;
  headers: Record<string, string> | null;
}

/** Implements the IdempotencyStore of platform-http (structurally; no import cycle). */
export class PgIdempotencyStore {
  private readonly orm: MikroORM;
  private readonly table: string;

  constructor(orm: MikroORM) {
    this.orm = orm;
    this.table = `"${orm.config.get('schema')}".idempotency_keys`;
  }

  async begin(scope: string, key: string, requestHash: string) {
    const em = this.orm.em.fork();
    await this.purgeNowAndThen();
    // A released key can vanish between our insert and our lookup: claim it again then.
    for (let attempt = 0; attempt < 3; attempt++) {
      // A key still in progress after ABANDONED_AFTER_SECONDS belongs to a crashed attempt: take it over.
      const inserted = await em.execute<Row[]>(
        `insert into ${this.table} (scope, key, request_hash) values (?, ?, ?)
         on conflict (scope, key) do update set request_hash = excluded.request_hash, created_at = now()
           where ${this.table}.state = 'in_progress'
             and ${this.table}.created_at < now() - make_interval(secs => ${ABANDONED_AFTER_SECONDS})
             and ${this.table}.request_hash = excluded.request_hash
         returning request_hash`,
        [scope, key, requestHash],
      );
      if (inserted.length > 0) return undefined;
      const [row] = await em.execute<Row[]>(
        `select request_hash, state, status_code, body, headers from ${this.table} where scope = ? and key = ?`,
        [scope, key],
      );
      if (row) {
        return {
          requestHash: row.request_hash,
          state: row.state,
          statusCode: row.status_code ?? undefined,
          body: row.body ?? undefined,
          headers: row.headers ?? undefined,
        };
      }
    }
    // Still racing with another attempt: tell the client it is in flight rather than run twice.
    return { requestHash, state: 'in_progress' as const };
  }

  /** Keys live a day (clients retry within minutes); about one call in 500 deletes older ones. */
  private async purgeNowAndThen(): Promise<void> {
    if (Math.random() >= 1 / 500) return;
    await this.orm.em
      .fork()
      .execute(`delete from ${this.table} where created_at < now() - interval '1 day'`)
      .catch(() => undefined);
  }

  async complete(
    scope: string,
    key: string,
    statusCode: number,
    body: string,
    headers: Record<string, string>,
  ) {
    await this.orm.em
      .fork()
      .execute(
        `update ${this.table} set state = 'done', status_code = ?, body = ?, headers = ? where scope = ? and key = ?`,
        [statusCode, body, JSON.stringify(headers), scope, key],
      );
  }

  async release(scope: string, key: string) {
    await this.orm.em
      .fork()
      .execute(`delete from ${this.table} where scope = ? and key = ? and state = 'in_progress'`, [
        scope,
        key,
      ]);
  }
}

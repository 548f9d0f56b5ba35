import pg from 'pg';
import type { Bus } from '@invoice/platform-bus';
import { qualified, type MikroORM } from '@invoice/platform-db';
import type { Logger } from '@invoice/platform-logger';
import { outboxChannel, registerLocalRelay } from './wake.ts';

/** Tuning of the relay loop. */
export interface RelayOptions {
  batchSize?: number;
  /** Poll interval while the outbox is empty and nothing wakes the relay (no LISTEN connection). */
  idleMs?: number;
  /**
   * Poll interval while the outbox is empty and the relay is woken by commits (LISTEN connected):
   * only a safety net then.
   */
  listeningIdleMs?: number;
  /** Wake on commits: in-process commits directly, others by LISTEN on a connection of its own. */
  listen?: boolean;
  /** Longest wait between attempts while NATS is unreachable. */
  maxBackoffMs?: number;
  /** Days a published row is kept before the relay deletes it. */
  retentionDays?: number;
}

interface PendingRow {
  seq: string;
  id: string;
  subject: string;
  payload: string;
}

/**
 * Publishes committed outbox rows. Safe with several replicas: each batch is claimed with
 * `FOR UPDATE SKIP LOCKED`, so two relays never hold the same row. A relay that dies after
 * publishing and before marking leaves the rows unmarked; the next one republishes them with the
 * same msgID and JetStream drops the duplicates (inside the stream's two-minute duplicate window;
 * later republishes reach consumers twice, and their inbox absorbs it). While NATS is unreachable
 * the loop backs off (200 ms doubling up to `maxBackoffMs`) and resumes once the bus reconnects.
 *
 * The loop sleeps while the outbox is empty and wakes when an event commits (see `wake.ts`):
 * commits in this process poke it directly, commits elsewhere reach it through `LISTEN` on a
 * dedicated connection. Polling stays as the fallback: every `idleMs` while that connection is
 * down, every `listeningIdleMs` while it is up.
 */
export class OutboxRelay {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private poked = false;
  private readonly batchSize: number;
  private readonly idleMs: number;
  private readonly listeningIdleMs: number;
  private readonly listen: boolean;
  private readonly maxBackoffMs: number;
  private readonly retentionDays: number;
  private lastPurge = 0;
  private listening = false;
  private listener: Promise<void> | undefined;
  private unregister: (() => void) | undefined;
  private stopListening: (() => void) | undefined;

  private readonly orm: MikroORM;
  private readonly bus: Bus;
  private readonly logger: Logger;
  /** The schema's outbox table, quoted. */
  private readonly table: string;
  private client: { client: pg.Client; connected: Promise<pg.Client> } | undefined;
  private passes: Promise<unknown> = Promise.resolve();

  constructor(orm: MikroORM, bus: Bus, logger: Logger, options: RelayOptions = {}) {
    this.orm = orm;
    this.bus = bus;
    this.logger = logger;
    this.batchSize = options.batchSize ?? 100;
    this.idleMs = options.idleMs ?? 100;
    this.listeningIdleMs = Math.max(this.idleMs, options.listeningIdleMs ?? 1_000);
    this.listen = options.listen ?? true;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
    this.retentionDays = options.retentionDays ?? 7;
    this.table = qualified(orm.em, 'outbox');
  }

  /**
   * Claims one batch, publishes it in order and marks what was published. Returns the count.
   * The batch is sent without waiting for each ack (one connection keeps the order in the stream);
   * then the rows up to the first failed publish are marked, and the rest waits for the next pass.
   * Throws without touching the outbox while NATS is unreachable (no row locks held for nothing).
   *
   * Two round trips per batch on a connection of the relay's own: `begin; select … for update skip
   * locked`, then `update …; commit` (simple-query batches; every value in them is a number from the
   * rows or an escaped literal), kept open while the loop runs. The marking commit does not wait for the WAL flush: a mark lost in
   * a crash only means the rows are published again, which JetStream's msgID dedup absorbs.
   */
  relayOnce(): Promise<number> {
    // One pass at a time: passes share the connection, so they must not interleave their batches.
    const pass = this.passes.then(() => this.relayBatch());
    this.passes = pass.catch(() => undefined);
    return pass;
  }

  private async relayBatch(): Promise<number> {
    if (!this.bus.isConnected()) throw new Error('NATS is not connected');
    const client = await this.connection();
    let open = false;
    try {
      const claimed = await client.query<PendingRow>(
        `begin; set local synchronous_commit to off;
         select seq, id, subject, payload::text as payload from ${this.table}
         where published_at is null order by seq limit ${this.batchSize} for update skip locked`,
      );
      open = true;
      const rows = lastResult(claimed).rows;
      const acks = await Promise.allSettled(
        rows.map((row) => this.bus.publishSerialized(row.subject, row.id, row.payload)),
      );
      const failed = acks.findIndex((ack) => ack.status === 'rejected');
      const published = failed === -1 ? rows : rows.slice(0, failed);
      const statements: string[] = [];
      let failure: unknown = undefined;
      if (failed !== -1) {
        failure = (acks[failed] as PromiseRejectedResult).reason;
        const message = String((failure as Error)?.message ?? failure).slice(0, 500);
        statements.push(
          `update ${this.table} set attempts = attempts + 1, last_error = ${client.escapeLiteral(message)}
           where seq = ${seqLiteral(rows[failed]!.seq)}`,
        );
      }
      if (published.length > 0) {
        statements.push(
          `update ${this.table} set published_at = now() where seq in (${published.map((row) => seqLiteral(row.seq)).join(',')})`,
        );
      }
      await client.query([...statements, 'commit'].join(';\n'));
      open = false;
      if (this.logger.isLevelEnabled('debug')) {
        published.forEach((row, index) => {
          const ack = (acks[index] as PromiseFulfilledResult<{ seq: number; duplicate: boolean }>).value;
          this.logger.debug(
            { eventId: row.id, type: row.subject, seq: ack.seq, duplicate: ack.duplicate },
            'event published',
          );
        });
      }
      if (failure) throw new RelayPublishError(published.length, failure);
      return published.length;
    } catch (error) {
      if (open) await client.query('rollback').catch(() => this.dropConnection(client));
      throw error;
    } finally {
      // Called on its own (tests, tools), the pass does not leave a connection behind.
      if (!this.running) this.dropConnection(client);
    }
  }

  /** The relay's own database connection, opened on first use and again after it broke. */
  private connection(): Promise<pg.Client> {
    if (!this.client) {
      const client = new pg.Client({ connectionString: this.orm.config.get('clientUrl') });
      client.on('error', () => this.dropConnection(client));
      const connected = client.connect().then(() => client);
      connected.catch(() => this.dropConnection(client));
      this.client = { client, connected };
    }
    return this.client.connected;
  }

  private dropConnection(client = this.client?.client): void {
    if (!client || this.client?.client !== client) return;
    this.client = undefined;
    void client.end().catch(() => undefined);
  }

  /** Starts the background loop (idempotent), woken by commits unless `listen` is false. */
  start(): void {
    if (this.running) return;
    this.running = true;
    if (this.listen) {
      const schema = this.orm.config.get('schema') ?? 'public';
      this.unregister = registerLocalRelay(this.orm.em, schema, () => this.poke());
      this.listener = this.listenLoop(outboxChannel(schema));
    }
    this.loop = this.run();
  }

  /** Wakes the loop now instead of at the next poll (commits of events do it by themselves). */
  poke(): void {
    this.poked = true;
    this.wake?.();
  }

  /** Stops after the current batch. */
  async stop(): Promise<void> {
    this.running = false;
    this.unregister?.();
    this.unregister = undefined;
    this.stopListening?.();
    this.wake?.();
    await this.loop;
    await this.listener;
    this.dropConnection();
  }

  /** True while commits elsewhere can wake the relay (its LISTEN connection is up). */
  isListening(): boolean {
    return this.listening;
  }

  private async run(): Promise<void> {
    let backoff = 0;
    while (this.running) {
      let count: number;
      this.poked = false;
      try {
        count = await this.relayOnce();
        backoff = 0;
      } catch (error) {
        count = error instanceof RelayPublishError ? error.published : 0;
        backoff = Math.min(this.maxBackoffMs, backoff ? backoff * 2 : 200);
        this.logger.warn(
          { err: error instanceof RelayPublishError ? error.cause : error, retryInMs: backoff },
          'outbox relay failed; will retry',
        );
      }
      await this.purgeIfDue();
      // A poke during the pass means new rows committed after our select: go again at once.
      const idle = backoff > 0 || (count < this.batchSize && !this.poked);
      if (!this.running || !idle) continue;
      // While backing off, commits do not cut the wait short (only stop does).
      if (backoff > 0) await this.sleep(backoff, false);
      else await this.sleep(this.listening ? this.listeningIdleMs : this.idleMs, true);
    }
  }

  /**
   * Keeps a connection of its own LISTENing on the schema's channel while the relay runs; each
   * notification pokes the loop. After (re)connecting it pokes once, for what committed while it
   * was not listening. Reconnects with a growing delay (1 s doubling to 30 s); meanwhile the loop
   * polls every `idleMs`.
   */
  private async listenLoop(channel: string): Promise<void> {
    let retryMs = 0;
    const stopped = new Promise<void>((resolve) => (this.stopListening = resolve));
    while (this.running) {
      const client = new pg.Client({ connectionString: this.orm.config.get('clientUrl') });
      const lost = new Promise<unknown>((resolve) => {
        client.on('error', resolve);
        client.on('end', () => resolve(new Error('connection ended')));
      });
      client.on('notification', () => this.poke());
      try {
        // Stop does not wait for a connection attempt that hangs (an unreachable database).
        const connecting = client
          .connect()
          .then(() => client.query(`listen "${channel.replaceAll('"', '""')}"`));
        connecting.catch(() => undefined);
        await Promise.race([connecting, stopped]);
        if (!this.running) break;
        this.listening = true;
        retryMs = 0;
        this.poke();
        const reason = await Promise.race([lost, stopped]);
        if (this.running) this.logger.warn({ err: reason }, 'outbox relay stopped listening; will reconnect');
      } catch (error) {
        if (this.running) this.logger.warn({ err: error }, 'outbox relay cannot listen; polling meanwhile');
      } finally {
        this.listening = false;
        void client.end().catch(() => undefined);
      }
      if (!this.running) break;
      retryMs = Math.min(30_000, retryMs ? retryMs * 2 : 1_000);
      await Promise.race([new Promise((resolve) => setTimeout(resolve, retryMs).unref()), stopped]);
    }
  }

  /**
   * Deletes rows published longer ago than the retention (default 7 days), at most every 10 minutes,
   * so the outbox stays small; the events themselves live on in JetStream.
   */
  async purgePublished(olderThanDays = this.retentionDays): Promise<number> {
    const em = this.orm.em.fork();
    const result = await em.execute<{ affectedRows?: number }>(
      `delete from ${qualified(em, 'outbox')} where published_at < now() - make_interval(days => ?)`,
      [olderThanDays],
      'run',
    );
    return result.affectedRows ?? 0;
  }

  /**
   * Deletes inbox rows older than `olderThanDays` (default 30). A redelivery comes within minutes
   * (ack wait × max deliveries), so a month of processed ids is far more than dedup needs.
   */
  async purgeInbox(olderThanDays = 30): Promise<number> {
    const em = this.orm.em.fork();
    const result = await em.execute<{ affectedRows?: number }>(
      `delete from ${qualified(em, 'inbox')} where processed_at < now() - make_interval(days => ?)`,
      [olderThanDays],
      'run',
    );
    return result.affectedRows ?? 0;
  }

  private async purgeIfDue(): Promise<void> {
    if (Date.now() - this.lastPurge < 10 * 60_000) return;
    this.lastPurge = Date.now();
    try {
      const purged = await this.purgePublished();
      const forgotten = await this.purgeInbox();
      if (purged + forgotten > 0) this.logger.info({ purged, forgotten }, 'old outbox and inbox rows purged');
    } catch (error) {
      this.logger.warn({ err: error }, 'outbox purge failed');
    }
  }

  /** Sleeps `ms`; `stop()` always ends it early, a poke only when `wakeable`. */
  private sleep(ms: number, wakeable: boolean): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = wakeable
        ? done
        : () => {
            if (!this.running) done();
          };
    });
  }
}

/** The result of the last statement of a simple-query batch. */
function lastResult<R extends pg.QueryResultRow>(
  result: pg.QueryResult<R> | pg.QueryResult<R>[],
): pg.QueryResult<R> {
  return Array.isArray(result) ? result[result.length - 1]! : result;
}

/** An outbox `seq` (a bigint the database returned) as an SQL literal, checked to be digits only. */
function seqLiteral(seq: string): string {
  if (!/^\d+$/.test(String(seq))) throw new Error(`unexpected outbox seq ${seq}`);
  return String(seq);
}

class RelayPublishError extends Error {
  readonly published: number;

  constructor(published: number, cause: unknown) {
    super('publish failed', { cause });
    this.published = published;
  }
}

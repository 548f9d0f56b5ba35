import type { EventEnvelope } from '@invoice/contracts';
import type { Bus } from '@invoice/platform-bus';
import { qualified, type MikroORM } from '@invoice/platform-db';
import type { Logger } from '@invoice/platform-logger';

/** Tuning of the relay loop. */
export interface RelayOptions {
  batchSize?: number;
  /** Poll interval while the outbox is empty. */
  idleMs?: number;
  /** Longest wait between attempts while NATS is unreachable. */
  maxBackoffMs?: number;
  /** Days a published row is kept before the relay deletes it. */
  retentionDays?: number;
}

interface PendingRow {
  seq: string;
  id: string;
  payload: EventEnvelope | string;
}

/**
 * Publishes committed outbox rows. Safe with several replicas: each batch is claimed with
 * `FOR UPDATE SKIP LOCKED`, so two relays never hold the same row. A relay that dies after
 * publishing and before marking leaves the rows unmarked; the next one republishes them with the
 * same msgID and JetStream drops the duplicates (inside the stream's two-minute duplicate window;
 * later republishes reach consumers twice, and their inbox absorbs it). While NATS is unreachable
 * the loop backs off (200 ms doubling up to `maxBackoffMs`) and resumes once the bus reconnects.
 */
export class OutboxRelay {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private poked = false;
  private readonly batchSize: number;
  private readonly idleMs: number;
  private readonly maxBackoffMs: number;
  private readonly retentionDays: number;
  private lastPurge = 0;

  private readonly orm: MikroORM;
  private readonly bus: Bus;
  private readonly logger: Logger;

  constructor(orm: MikroORM, bus: Bus, logger: Logger, options: RelayOptions = {}) {
    this.orm = orm;
    this.bus = bus;
    this.logger = logger;
    this.batchSize = options.batchSize ?? 100;
    this.idleMs = options.idleMs ?? 100;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
    this.retentionDays = options.retentionDays ?? 7;
  }

  /**
   * Claims one batch, publishes it in order and marks what was published. Returns the count.
   * Throws without touching the outbox while NATS is unreachable (no row locks held for nothing).
   */
  async relayOnce(): Promise<number> {
    if (!this.bus.isConnected()) throw new Error('NATS is not connected');
    const { count, failure } = await this.orm.em.fork().transactional(async (em) => {
      const table = qualified(em, 'outbox');
      const rows = await em.execute<PendingRow[]>(
        `select seq, id, payload from ${table} where published_at is null order by seq limit ? for update skip locked`,
        [this.batchSize],
      );
      const published: string[] = [];
      let failure: unknown = undefined;
      for (const row of rows) {
        const envelope =
          typeof row.payload === 'string' ? (JSON.parse(row.payload) as EventEnvelope) : row.payload;
        try {
          const ack = await this.bus.publish(envelope);
          published.push(row.seq);
          this.logger.debug(
            { eventId: row.id, type: envelope.type, seq: ack.seq, duplicate: ack.duplicate },
            'event published',
          );
        } catch (error) {
          failure = error;
          await em.execute(`update ${table} set attempts = attempts + 1, last_error = ? where seq = ?`, [
            String((error as Error).message ?? error).slice(0, 500),
            row.seq,
          ]);
          break; // keep order: the rest of the batch waits for the next attempt
        }
      }
      if (published.length > 0) {
        await em.execute(
          `update ${table} set published_at = now() where seq in (${published.map(() => '?').join(',')})`,
          published,
        );
      }
      return { count: published.length, failure };
    });
    if (failure) throw new RelayPublishError(count, failure);
    return count;
  }

  /** Starts the background loop (idempotent). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Wakes the loop now instead of at the next poll (call after a commit that enqueued events). */
  poke(): void {
    this.poked = true;
    this.wake?.();
  }

  /** Stops after the current batch. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
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
      if (this.running && idle) await this.sleep(backoff || this.idleMs);
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

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      this.wake = done;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
  }
}

class RelayPublishError extends Error {
  readonly published: number;

  constructor(published: number, cause: unknown) {
    super('publish failed', { cause });
    this.published = published;
  }
}

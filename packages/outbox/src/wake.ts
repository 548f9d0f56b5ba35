/**
 * Waking relays when an event commits, instead of leaving it to the next poll.
 *
 * `enqueueEvent` marks its transaction; when that transaction commits (MikroORM's
 * `afterTransactionCommit`, dispatched by the ORM's shared event manager), the relays running in
 * this process for the same schema are poked at once, for free. When no relay for the schema runs
 * in this process (an API-only replica, a relay scaled on its own), a `NOTIFY` on the schema's
 * channel wakes the relays that `LISTEN` elsewhere.
 *
 * The NOTIFY is sent after the commit, by itself, with `synchronous_commit` off, never inside the
 * event's transaction (nor from a trigger on the outbox): Postgres serializes the commits of every
 * transaction that notified, WAL flush included, under one database-wide lock, which capped such
 * commits at ~200/s on the two-core dev machine (8 clients: 190–230 tps against 3,200–4,100 without
 * the NOTIFY). A lone notify commits in ~0.2 ms. Notifies are coalesced (at most one in flight per
 * schema and process), and a lost one only costs a poll interval: polling stays the fallback.
 * (So does the one case not woken: an event enqueued in a nested transaction, in a process that
 * runs no relay of its schema.)
 */
import type { EntityManager } from '@invoice/platform-db';

/** The channel the relays of a schema listen on. */
export function outboxChannel(schema: string): string {
  return `outbox_${schema}`;
}

/** What the relays and transactions of one ORM share. */
interface CommitWatch {
  /** Open transactions (their context object) that enqueued events, with their schema. */
  readonly marked: WeakMap<object, string>;
  /** Schemas whose events were enqueued in a savepoint: woken by the next top-level commit. */
  readonly nested: Set<string>;
  /** Wake functions of the relays running in this process, per schema. */
  readonly relays: Map<string, Set<() => void>>;
  /** Notify state per schema (coalescing). */
  readonly notifying: Map<string, { again: boolean }>;
  /** The MikroORM subscriber that sees the commits. */
  readonly subscriber: { afterTransactionCommit(args: CommitArgs): void };
}

interface CommitArgs {
  em: EntityManager;
  transaction?: object;
}

// Keyed by the ORM's configuration, which every fork shares. (Event managers are not shared:
// `transactional()` runs on a fork with a clone of its parent's event manager.)
const watches = new WeakMap<object, CommitWatch>();

function watchOf(em: EntityManager): CommitWatch {
  let watch = watches.get(em.config);
  if (!watch) {
    const created: CommitWatch = {
      marked: new WeakMap(),
      nested: new Set(),
      relays: new Map(),
      notifying: new Map(),
      // Must not wait: MikroORM awaits its subscribers inside `transactional()`.
      subscriber: { afterTransactionCommit: (args) => onCommit(created, args) },
    };
    watch = created;
    watches.set(em.config, created);
  }
  return watch;
}

/** Marks the current transaction of `em` as one that enqueued an event (called by enqueueEvent). */
export function markEventEnqueued(em: EntityManager): void {
  const transaction = em.getTransactionContext<object>();
  if (!transaction) return;
  const watch = watchOf(em);
  // The transaction's own event manager dispatches its commit (a no-op when already registered).
  em.getEventManager().registerSubscriber(watch.subscriber);
  watch.marked.set(transaction, em.config.get('schema') ?? 'public');
}

/**
 * For events written outside `enqueueEvent` (a statement that inserts its own outbox row): wakes
 * the relays of `em`'s schema as a commit of `enqueueEvent`'s transaction would. Called with `em`
 * in a transaction, the wake-up waits for its commit; otherwise (the statement committed on its
 * own) the relays of this process are poked at once, or the others notified.
 */
export function eventsCommitted(em: EntityManager): void {
  if (em.getTransactionContext()) {
    markEventEnqueued(em);
    return;
  }
  wake(watchOf(em), em, em.config.get('schema') ?? 'public');
}

/**
 * Registers a relay of this process for `schema`: commits of events on the same ORM call `wake`.
 * `em` should be the ORM's global entity manager, whose event manager every transaction clones
 * (so the outer commit of an event enqueued in a savepoint is seen too). Returns the function
 * that unregisters it.
 */
export function registerLocalRelay(em: EntityManager, schema: string, wake: () => void): () => void {
  const watch = watchOf(em);
  em.getEventManager().registerSubscriber(watch.subscriber);
  let wakes = watch.relays.get(schema);
  if (!wakes) {
    wakes = new Set();
    watch.relays.set(schema, wakes);
  }
  wakes.add(wake);
  return () => {
    wakes.delete(wake);
    if (wakes.size === 0) watch.relays.delete(schema);
  };
}

function onCommit(watch: CommitWatch, { em, transaction }: CommitArgs): void {
  const schema = transaction ? watch.marked.get(transaction) : undefined;
  if (transaction && 'savepointName' in transaction) {
    // A savepoint was released: its events commit with the outer transaction.
    if (schema) watch.nested.add(schema);
    return;
  }
  const schemas = new Set(watch.nested);
  watch.nested.clear();
  if (schema) schemas.add(schema);
  for (const woken of schemas) wake(watch, em, woken);
}

function wake(watch: CommitWatch, em: EntityManager, schema: string): void {
  const local = watch.relays.get(schema);
  if (local && local.size > 0) {
    for (const relay of local) relay();
    return;
  }
  const state = watch.notifying.get(schema);
  if (state) {
    state.again = true; // one more after the one in flight
    return;
  }
  watch.notifying.set(schema, { again: false });
  void notify(watch, em, schema);
}

async function notify(watch: CommitWatch, em: EntityManager, schema: string): Promise<void> {
  for (;;) {
    try {
      await em
        .getConnection()
        .execute(
          `select set_config('synchronous_commit', 'off', true), pg_notify(?, '')`,
          [outboxChannel(schema)],
          'run',
        );
    } catch {
      // The relays' poll picks the event up; nothing else to do here.
    }
    const state = watch.notifying.get(schema);
    if (!state?.again) break;
    state.again = false;
  }
  watch.notifying.delete(schema);
}

import type { EventEnvelope } from '@invoice/contracts';
import { qualified, type EntityManager, type MikroORM } from '@invoice/platform-db';

/**
 * Runs `effect` at most once per (consumer, event id): the inbox row and the effect commit in one
 * transaction. Returns false when the event was already processed (a redelivery), true otherwise.
 * With `lock`, the same statement that records the event also takes that transaction-scoped
 * advisory lock, so effects on one thing (e.g. one document) are serialized without a round trip
 * of their own; every statement of `effect` then sees what the previous holders committed.
 */
export async function handleOnce(
  orm: MikroORM,
  consumer: string,
  event: Pick<EventEnvelope, 'id'>,
  effect: (em: EntityManager) => Promise<void>,
  options: { lock?: string } = {},
): Promise<boolean> {
  return orm.em.fork().transactional(async (em) => {
    const record = `insert into ${qualified(em, 'inbox')} (consumer, event_id) values (?, ?) on conflict do nothing returning event_id`;
    const inserted = await em.execute<unknown[]>(
      options.lock === undefined
        ? record
        : `with inbox as (${record}) select pg_advisory_xact_lock(hashtextextended(?, 0)) from inbox`,
      options.lock === undefined ? [consumer, event.id] : [consumer, event.id, options.lock],
    );
    if (inserted.length === 0) return false;
    await effect(em);
    return true;
  });
}

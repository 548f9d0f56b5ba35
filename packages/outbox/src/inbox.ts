import type { EventEnvelope } from '@invoice/contracts';
import { qualified, type EntityManager, type MikroORM } from '@invoice/platform-db';

/**
 * Runs `effect` at most once per (consumer, event id): the inbox row and the effect commit in one
 * transaction. Returns false when the event was already processed (a redelivery), true otherwise.
 */
export async function handleOnce(
  orm: MikroORM,
  consumer: string,
  event: Pick<EventEnvelope, 'id'>,
  effect: (em: EntityManager) => Promise<void>,
): Promise<boolean> {
  return orm.em.fork().transactional(async (em) => {
    const inserted = await em.execute<{ event_id: string }[]>(
      `insert into ${qualified(em, 'inbox')} (consumer, event_id) values (?, ?) on conflict do nothing returning event_id`,
      [consumer, event.id],
    );
    if (inserted.length === 0) return false;
    await effect(em);
    return true;
  });
}

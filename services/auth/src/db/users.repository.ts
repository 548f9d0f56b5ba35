/** Reads of user rows that need more than a plain entity filter (each on the caller's entity manager). */
import type { EntityManager } from '@invoice/platform-db';
import { raw, type InferEntity } from '@mikro-orm/core';
import { User } from './user.entity.ts';

/** The user whose email is `email` (already normalized), matched on the lower(email) unique index. */
export function findUserByEmail(em: EntityManager, email: string): Promise<InferEntity<typeof User> | null> {
  return em.findOne(User, { [raw('lower(email)')]: email });
}

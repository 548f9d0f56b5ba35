/**
 * The shape of the replica consumers: catalog's and auth's events applied to their replica once per
 * event (the inbox row and the write commit together), then logged at debug.
 */
import type { EventEnvelope } from '@invoice/contracts';
import type { ConsumerDefinition } from '@invoice/platform-bus';
import type { EntityManager } from '@invoice/platform-db';
import { handleOnce } from '@invoice/platform-outbox';
import type { ConsumerDeps } from './consumer-deps.ts';

/** What tells one replica consumer from another. */
export interface ReplicaConsumerOptions<T> {
  /** Durable consumer name: `invoicing-<event>`. */
  durable: string;
  subject: string;
  /** Writes the event into its replica, in the inbox's transaction. */
  apply(em: EntityManager, event: EventEnvelope<T>): Promise<void>;
  /** The debug line once applied, and the fields of the event it carries. */
  message: string;
  fields(data: T): Record<string, unknown>;
}

/** A consumer that keeps a replica from one subject. */
export function replicaConsumer<T>(
  deps: ConsumerDeps,
  options: ReplicaConsumerOptions<T>,
): ConsumerDefinition<T> {
  const { durable, subject, apply, message, fields } = options;
  return {
    durable,
    subject,
    async handle(event, { logger }) {
      await handleOnce(deps.orm, durable, event, (em) => apply(em, event));
      logger.debug(fields(event.data), message);
    },
  };
}

/**
 * The shape every consumer shares: the inbox row and the email rows commit together (a redelivery
 * changes nothing), then the emails that became `queued` get their jobs.
 */
import type { EventEnvelope } from '@invoice/contracts';
import type { ConsumerContext } from '@invoice/platform-bus';
import type { EntityManager, MikroORM } from '@invoice/platform-db';
import { handleOnce } from '@invoice/platform-outbox';
import type { EmailEnqueuer } from '../workers/email-queue.ts';

/**
 * Events of the invoice-email consumers handled at once. Their effects on one invoice version are
 * serialized by its advisory lock (`invoiceDocumentLock`, taken with the inbox row), so events of different invoices need not
 * wait for each other's round trips.
 */
export const INVOICE_EVENT_CONCURRENCY = 8;

/** What the consumers need. */
export interface ConsumerDeps {
  orm: MikroORM;
  enqueuer: EmailEnqueuer;
  config: { APP_URL: string };
}

/**
 * Runs `effect` once per event and enqueues the ids of the emails it queued, after the commit.
 * `lock` (see `invoiceDocumentLock`) is taken with the inbox row, before the effect.
 */
export async function recordOnce(
  deps: ConsumerDeps,
  consumer: string,
  event: EventEnvelope,
  context: ConsumerContext,
  effect: (em: EntityManager) => Promise<string[]>,
  lock?: string,
): Promise<void> {
  let queued: string[] = [];
  const first = await handleOnce(
    deps.orm,
    consumer,
    event,
    async (em) => {
      queued = await effect(em);
    },
    lock === undefined ? {} : { lock },
  );
  if (!first) {
    context.logger.info('event already handled');
    return;
  }
  await deps.enqueuer.enqueueAfterCommit(queued);
}

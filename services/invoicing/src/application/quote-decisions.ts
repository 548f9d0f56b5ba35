/**
 * A sent quote's outcome: accepted or declined by the organization (who and when are recorded), or
 * expired by the expiry job once its validity has passed. Each locks the quote, applies the guarded
 * transition and writes its event in one transaction.
 */
import type { DeclineQuoteBody } from '@invoice/contracts';
import { inTransaction, type EntityManager } from '@invoice/platform-db';
import { enqueueEvent } from '@invoice/platform-outbox';
import { todayUtc } from '../domain/due-date.ts';
import { decideQuote } from '../domain/quote-status.ts';
import type { UseCaseDeps } from '../deps.ts';
import { findQuote, lockExpiredQuotes, updateQuote, type QuoteRow } from '../db/quotes.repository.ts';
import { quoteDecidedEvent } from './quote-events.ts';
import { quoteNotFound } from './quote-support.ts';

/** Accepts a sent, still valid quote on behalf of the organization. */
export function acceptQuote(deps: UseCaseDeps, orgId: string, id: string, userId: string): Promise<QuoteRow> {
  return decide(deps, orgId, id, userId, 'accepted');
}

/** Declines a sent, still valid quote (with an optional reason). */
export function declineQuote(
  deps: UseCaseDeps,
  orgId: string,
  id: string,
  userId: string,
  body: DeclineQuoteBody,
): Promise<QuoteRow> {
  return decide(deps, orgId, id, userId, 'declined', body.reason);
}

async function decide(
  deps: UseCaseDeps,
  orgId: string,
  id: string,
  userId: string,
  decision: 'accepted' | 'declined',
  reason?: string,
): Promise<QuoteRow> {
  const now = new Date();
  const quote = await inTransaction(deps.orm, async (em) => {
    const locked = await findQuote(em, orgId, id, { lock: true });
    if (!locked) throw quoteNotFound();
    const status = decideQuote(locked.status, decision, locked.validUntil, todayUtc(now));
    const changes =
      status === 'accepted'
        ? { status, acceptedAt: now, acceptedBy: userId, updatedAt: now }
        : { status, declinedAt: now, declinedBy: userId, declineReason: reason ?? null, updatedAt: now };
    const version = await updateQuote(em, id, changes);
    await enqueueEvent(
      em,
      quoteDecidedEvent(orgId, {
        quoteId: id,
        number: locked.number ?? '',
        status,
        at: now.toISOString(),
        by: userId,
        ...(reason ? { reason } : {}),
        validUntil: locked.validUntil,
      }),
    );
    return { ...locked, ...changes, version };
  });
  deps.logger.debug({ quoteId: id, status: decision }, 'quote decided');
  return quote;
}

/** Quotes marked expired per transaction (each batch commits on its own). */
const EXPIRY_BATCH = 200;

/**
 * Marks every sent quote whose validity ended before `now`'s date as expired, with its event. Safe to
 * run twice or concurrently: only `sent` rows are taken, under skip-locked row locks, so each quote
 * expires once.
 */
export async function expireQuotes(deps: UseCaseDeps, options: { now: Date }): Promise<{ expired: number }> {
  const today = todayUtc(options.now);
  let expired = 0;
  for (;;) {
    const count = await inTransaction(deps.orm, (em) => expireBatch(em, today, options.now));
    expired += count;
    if (count < EXPIRY_BATCH) break;
  }
  if (expired > 0) deps.logger.info({ expired }, 'quotes expired');
  return { expired };
}

async function expireBatch(em: EntityManager, today: string, now: Date): Promise<number> {
  const quotes = await lockExpiredQuotes(em, today, EXPIRY_BATCH);
  for (const quote of quotes) {
    await updateQuote(em, quote.id, { status: 'expired', expiredAt: now, updatedAt: now });
    await enqueueEvent(
      em,
      quoteDecidedEvent(quote.orgId, {
        quoteId: quote.id,
        number: quote.number ?? '',
        status: 'expired',
        at: now.toISOString(),
        validUntil: quote.validUntil,
      }),
    );
  }
  return quotes.length;
}

/**
 * Sending a quote: the first send numbers it from the `quote` series, freezes seller, buyer and the
 * engine's totals (as issuing does for an invoice) and moves it to `sent`; a sent quote may be sent
 * again while it is valid (the same document version, another email). Either way the change and
 * `invoicing.quote.sent.v1` commit together: the document service renders the PDF from the event's
 * snapshot and the notification service emails it with the PDF attached.
 */
import {
  AppError,
  fixedDecimal,
  newId,
  type InvoiceSnapshot,
  type Party,
  type SendInvoiceBody,
} from '@invoice/contracts';
import { inTransaction, type EntityManager } from '@invoice/platform-db';
import { enqueueEvent } from '@invoice/platform-outbox';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { todayUtc } from '../domain/due-date.ts';
import { resolveSeries } from '../domain/numbering.ts';
import { buyerParty, sellerParty } from '../domain/parties.ts';
import { minorUnitsOf, priceForIssue } from '../domain/pricing.ts';
import { sendQuote as sendTransition } from '../domain/quote-status.ts';
import { buildInvoiceSnapshot } from '../domain/snapshot.ts';
import type { UseCaseDeps } from '../deps.ts';
import { drawNumber, readSeries } from '../db/number-series.repository.ts';
import { findQuote, updateQuote, type QuoteRow } from '../db/quotes.repository.ts';
import { clientOrFail } from './guards.ts';
import { quoteSentEvent } from './quote-events.ts';
import { quoteLineInputs, quoteNotFound } from './quote-support.ts';
import { recipientsOf } from './send.ts';

/** The first revision of a sent quote's document. */
const FIRST_DOCUMENT_VERSION = 1;

/** Sends (and on the first send numbers and freezes) a quote; returns the request id and the quote. */
export async function sendQuote(
  deps: UseCaseDeps,
  orgId: string,
  id: string,
  body: SendInvoiceBody,
): Promise<{ requestId: string; quote: QuoteRow }> {
  const read = await findQuote(deps.orm.em, orgId, id);
  if (!read) throw quoteNotFound();
  const now = new Date();
  sendTransition(read.status, read.validUntil, todayUtc(now));
  // Parties are read before any lock: a draft freezes them now, a sent quote has them already.
  const parties =
    read.seller && read.buyer ? { seller: read.seller, buyer: read.buyer } : await partiesOf(deps, read);
  const to = body.to ?? (await recipientsOf(deps, orgId, read.clientId, parties.buyer));
  const requestId = newId();
  const quote = await inTransaction(deps.orm, async (em) => {
    const locked = await findQuote(em, orgId, id, { lock: true });
    if (!locked) throw quoteNotFound();
    sendTransition(locked.status, locked.validUntil, todayUtc(now));
    if (locked.version !== read.version) {
      throw new AppError('PRECONDITION_FAILED', { detail: 'The quote changed while it was being sent' });
    }
    const sent = locked.status === 'draft' ? await freeze(em, locked, parties, now) : locked;
    const snapshot = quoteSnapshot(sent);
    const decimals = minorUnitsOf(sent.currency);
    await enqueueEvent(
      em,
      quoteSentEvent(orgId, {
        requestId,
        quote: snapshot,
        number: snapshot.number,
        validUntil: sent.validUntil,
        to: [...new Set(to.map((address) => address.toLowerCase()))],
        sellerName: parties.seller.name,
        buyerName: parties.buyer.name,
        gross: fixedDecimal(sent.totals.gross, decimals),
        currency: sent.currency,
        ...(sent.createdBy ? { createdBy: sent.createdBy } : {}),
      }),
    );
    return sent;
  }).catch((error: unknown) => {
    if (
      error instanceof UniqueConstraintViolationException &&
      /quotes_org_id_number_key/.test(error.message)
    ) {
      throw new AppError('NUMBER_TAKEN', {
        detail: 'Change the quote number series so that it gives new numbers',
      });
    }
    throw error;
  });
  deps.logger.debug({ quoteId: id, requestId, number: quote.number }, 'quote sent');
  return { requestId, quote };
}

/** Numbers the draft, freezes its parties and totals (priced for issue: at least one line), marks it sent. */
async function freeze(
  em: EntityManager,
  draft: QuoteRow,
  parties: { seller: Party; buyer: Party },
  now: Date,
): Promise<QuoteRow> {
  const pricing = priceQuote(draft);
  const numbering = await readSeries(em, draft.orgId, 'quote');
  const series = resolveSeries('quote', numbering.settings, numbering.legacyPrefix);
  const drawn = await drawNumber(em, draft.orgId, 'quote', series, draft.issueDate);
  const changes = {
    status: 'sent' as const,
    number: drawn.number,
    seriesId: drawn.seriesId,
    ...parties,
    totals: pricing.totals,
    vatBreakdown: pricing.vatBreakdown,
    taxBreakdown: pricing.taxBreakdown,
    lines: draft.lines.map((line, i) => ({ ...line, net: pricing.lines[i]?.net ?? line.net })),
    documentVersion: FIRST_DOCUMENT_VERSION,
    sentAt: now,
    updatedAt: now,
  };
  const version = await updateQuote(em, draft.id, changes);
  return { ...draft, ...changes, version };
}

/** Seller from the organization replica, buyer from the client replica, both as of now. */
async function partiesOf(deps: UseCaseDeps, quote: QuoteRow): Promise<{ seller: Party; buyer: Party }> {
  const organization = await deps.replicas.organization(quote.orgId);
  if (!organization) {
    throw new AppError('SELLER_INCOMPLETE', { detail: 'The organization profile is not available' });
  }
  const client = clientOrFail(await deps.replicas.client(quote.orgId, quote.clientId));
  return { seller: sellerParty(organization), buyer: buyerParty(client) };
}

/**
 * The sent quote as the document service renders it: an invoice-shaped snapshot of type `quote` whose
 * `validUntil` replaces the due date.
 */
export function quoteSnapshot(quote: QuoteRow): InvoiceSnapshot & { validUntil: string } {
  if (!quote.number || !quote.seller || !quote.buyer || !quote.sentAt) {
    throw new Error(`sent quote ${quote.id} lacks its number, parties or send time`);
  }
  const base = buildInvoiceSnapshot({
    ...quote,
    number: quote.number,
    seller: quote.seller,
    buyer: quote.buyer,
    dueDate: quote.validUntil,
    lines: quoteLineInputs(quote.lines),
    // The frozen lines priced again give the sent totals exactly (the engine is deterministic).
    pricing: priceQuote(quote),
    issuedAt: quote.sentAt,
    documentVersion: quote.documentVersion ?? FIRST_DOCUMENT_VERSION,
  });
  const snapshot: InvoiceSnapshot & { validUntil: string } = {
    ...base,
    type: 'quote',
    validUntil: quote.validUntil,
  };
  delete snapshot.dueDate;
  return snapshot;
}

/** Prices a quote for sending: at least one line (EMPTY_LINES), checked against EN 16931 like an issue. */
function priceQuote(quote: QuoteRow) {
  return priceForIssue({
    currency: quote.currency,
    priceMode: quote.priceMode,
    lines: quoteLineInputs(quote.lines),
    allowances: quote.allowances,
    charges: quote.charges,
    prepaid: undefined,
  });
}

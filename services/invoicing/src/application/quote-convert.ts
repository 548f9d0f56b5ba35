/**
 * Converting an accepted quote: a draft invoice that names the quote (`quoteId`), with its client,
 * currency, payment method, notes, price mode, allowances, charges and lines copied and priced by the
 * engine as any draft; its dates are today and the client's payment terms. Seller and buyer are frozen
 * when the invoice is issued, as for every draft. Exactly once: the quote is locked and must be
 * `accepted`, and `invoices.quote_id` is unique, so of two concurrent converts one creates the
 * invoice and the other gets 409 QUOTE_ALREADY_CONVERTED.
 */
import { AppError, newId } from '@invoice/contracts';
import { inTransaction } from '@invoice/platform-db';
import { enqueueEvent } from '@invoice/platform-outbox';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { scheduleDates, todayUtc } from '../domain/due-date.ts';
import { priceDraft, type PricingState } from '../domain/pricing.ts';
import { convertQuote as convertTransition } from '../domain/quote-status.ts';
import type { UseCaseDeps } from '../deps.ts';
import type { InvoiceRow } from '../db/invoice.entity.ts';
import { lineRows, pricingColumns } from '../db/invoice-mapping.ts';
import { insertDraft, type StoredInvoice } from '../db/invoices.repository.ts';
import { outboxRow } from '../db/outbox.ts';
import { findQuote, updateQuote, type QuoteRow } from '../db/quotes.repository.ts';
import { invoiceUpdatedEvent } from './invoice-events.ts';
import { quoteConvertedEvent } from './quote-events.ts';
import { quoteLineInputs, quoteNotFound } from './quote-support.ts';

/** Converts an accepted quote into a draft invoice; returns the invoice and the converted quote. */
export async function convertQuote(
  deps: UseCaseDeps,
  orgId: string,
  id: string,
  userId: string,
): Promise<{ invoice: StoredInvoice; quote: QuoteRow }> {
  const read = await findQuote(deps.orm.em, orgId, id);
  if (!read) throw quoteNotFound();
  convertTransition(read.status);
  const client = await deps.replicas.client(orgId, read.clientId).catch(() => undefined);
  const terms = client?.paymentTermsDays ?? deps.config.DEFAULT_PAYMENT_TERMS_DAYS;
  const now = new Date();
  const result = await inTransaction(deps.orm, async (em) => {
    const locked = await findQuote(em, orgId, id, { lock: true });
    if (!locked) throw quoteNotFound();
    const status = convertTransition(locked.status);
    const { stored, totals } = invoiceFrom(locked, userId, terms, now);
    const event = outboxRow(invoiceUpdatedEvent(orgId, stored.invoice.id, { totals }));
    await insertDraft(em, stored.invoice, stored.lines, event);
    const changes = {
      status,
      convertedAt: now,
      convertedBy: userId,
      invoiceId: stored.invoice.id,
      updatedAt: now,
    };
    const version = await updateQuote(em, id, changes);
    await enqueueEvent(
      em,
      quoteConvertedEvent(orgId, {
        quoteId: id,
        number: locked.number ?? '',
        invoiceId: stored.invoice.id,
        at: now.toISOString(),
        by: userId,
      }),
    );
    return { invoice: stored, quote: { ...locked, ...changes, version } };
  }).catch((error: unknown) => {
    if (error instanceof UniqueConstraintViolationException && /invoices_quote_id_key/.test(error.message)) {
      throw new AppError('QUOTE_ALREADY_CONVERTED', { detail: 'The quote was already converted' });
    }
    throw error;
  });
  deps.logger.debug({ quoteId: id, invoiceId: result.invoice.invoice.id }, 'quote converted');
  return result;
}

function pricingStateOf(quote: QuoteRow): PricingState {
  return {
    currency: quote.currency,
    priceMode: quote.priceMode,
    lines: quoteLineInputs(quote.lines),
    allowances: quote.allowances,
    charges: quote.charges,
    prepaid: undefined,
  };
}

/** The draft invoice row and its lines made from the quote. */
function invoiceFrom(quote: QuoteRow, userId: string, terms: number, now: Date) {
  const state = pricingStateOf(quote);
  const pricing = priceDraft(state);
  const id = newId();
  const invoice: InvoiceRow = {
    id,
    orgId: quote.orgId,
    type: 'invoice',
    status: 'draft',
    number: null,
    seriesId: null,
    clientId: quote.clientId,
    ...scheduleDates({}, { issueDate: todayUtc(now), paymentTermsDays: terms }),
    paymentMethod: quote.paymentMethod,
    notes: quote.notes,
    ...pricingColumns(state, pricing),
    seller: null,
    buyer: null,
    version: 1,
    documentVersion: null,
    issuedAt: null,
    lastSentAt: null,
    totalPaid: '0',
    totalCredited: '0',
    creditBalance: '0',
    paidAt: null,
    voidedAt: null,
    voidReason: null,
    createdAt: now,
    updatedAt: now,
    createdBy: userId,
    quoteId: quote.id,
  };
  const stored: StoredInvoice = { invoice, lines: lineRows(id, state.lines, pricing) };
  return { stored, totals: pricing.totals };
}

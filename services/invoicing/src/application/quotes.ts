/**
 * Quote drafts: created, edited and deleted like invoice drafts (the client and products are read
 * from the replicas, the lines resolved and priced by the same engine), and read or listed.
 */
import {
  AppError,
  newId,
  type ClientSnapshot,
  type CreateQuoteBody,
  type DraftLineInput,
  type LineInput,
  type QuoteListQuery,
  type UpdateQuoteBody,
} from '@invoice/contracts';
import { inTransaction } from '@invoice/platform-db';
import { assertIfMatch, decodeCursor, pageOf, type IfMatch } from '@invoice/platform-http';
import { enqueueEvent } from '@invoice/platform-outbox';
import { productIdsOf, resolveLines } from '../domain/draft-lines.ts';
import { todayUtc } from '../domain/due-date.ts';
import { priceDraft, type PricingState } from '../domain/pricing.ts';
import { assertQuoteEditable } from '../domain/quote-status.ts';
import { quoteDates } from '../domain/quote-validity.ts';
import type { UseCaseDeps } from '../deps.ts';
import { lineRows } from '../db/invoice-mapping.ts';
import {
  deleteQuoteRow,
  findQuote,
  insertQuote,
  listQuotes,
  updateQuote,
  type QuoteLine,
  type QuoteRow,
} from '../db/quotes.repository.ts';
import { invoiceableClient, requireInvoiceableClient } from './guards.ts';
import { quoteLineInputs, quoteNotFound } from './quote-support.ts';
import { quoteUpdatedEvent } from './quote-events.ts';

/** Creates a draft quote with its event. */
export async function createQuote(
  deps: UseCaseDeps,
  orgId: string,
  body: CreateQuoteBody,
  createdBy?: string,
): Promise<QuoteRow> {
  const replicas = await deps.replicas.forDraft(orgId, {
    clientId: body.clientId,
    productIds: productIdsOf(body.lines),
    organization: body.currency === undefined,
  });
  const client = invoiceableClient(replicas.client);
  const currency = await quoteCurrency(deps, orgId, body.currency, client, replicas.organization);
  const state = pricingState(body, currency, resolveLines(body.lines, await replicas.products(), currency));
  const now = new Date();
  const id = newId();
  const quote: QuoteRow = {
    id,
    orgId,
    status: 'draft',
    number: null,
    seriesId: null,
    clientId: body.clientId,
    ...quoteDates(body, { issueDate: todayUtc(now) }, deps.config.QUOTE_VALIDITY_DAYS),
    paymentMethod: body.paymentMethod ?? null,
    notes: body.notes ?? null,
    ...priced(id, state),
    seller: null,
    buyer: null,
    version: 1,
    documentVersion: null,
    sentAt: null,
    acceptedAt: null,
    acceptedBy: null,
    declinedAt: null,
    declinedBy: null,
    declineReason: null,
    expiredAt: null,
    convertedAt: null,
    convertedBy: null,
    invoiceId: null,
    createdBy: createdBy ?? null,
    createdAt: now,
    updatedAt: now,
  };
  await inTransaction(deps.orm, async (em) => {
    await insertQuote(em, quote);
    await enqueueEvent(em, quoteUpdatedEvent(orgId, id, { totals: quote.totals }));
  });
  deps.logger.debug({ quoteId: id, lines: quote.lines.length }, 'quote created');
  return quote;
}

/**
 * Replaces the given fields of a draft quote and reprices it. Replicas are read before the row is
 * locked; the write happens only if the quote is still at the version read (otherwise, without an
 * If-Match tag, it is read and applied again).
 */
export async function updateQuoteDraft(
  deps: UseCaseDeps,
  orgId: string,
  id: string,
  body: UpdateQuoteBody,
  ifMatch: IfMatch,
): Promise<QuoteRow> {
  for (let attempt = 1; ; attempt++) {
    const read = await findQuote(deps.orm.em, orgId, id);
    if (!read) throw quoteNotFound();
    assertQuoteEditable(read.status);
    assertIfMatch(ifMatch, read.version, { resource: 'quote' });
    const changes = await applyChange(deps, orgId, read, body);
    const saved = await inTransaction(deps.orm, async (em) => {
      const locked = await findQuote(em, orgId, id, { lock: true });
      if (!locked) throw quoteNotFound();
      assertQuoteEditable(locked.status);
      if (locked.version !== read.version) return undefined;
      const version = await updateQuote(em, id, changes);
      await enqueueEvent(em, quoteUpdatedEvent(orgId, id, { totals: changes.totals }));
      return { ...read, ...changes, version };
    });
    if (saved) return saved;
    if (ifMatch.kind === 'tags' || attempt >= 3) {
      throw new AppError('PRECONDITION_FAILED', { detail: 'The quote changed meanwhile' });
    }
  }
}

/** Deletes a draft quote (a sent quote is declined or left to expire instead). */
export async function deleteQuote(
  deps: UseCaseDeps,
  orgId: string,
  id: string,
  ifMatch: IfMatch,
): Promise<void> {
  await inTransaction(deps.orm, async (em) => {
    const quote = await findQuote(em, orgId, id, { lock: true });
    if (!quote) throw quoteNotFound();
    assertQuoteEditable(quote.status);
    assertIfMatch(ifMatch, quote.version, { resource: 'quote' });
    await deleteQuoteRow(em, orgId, id);
    await enqueueEvent(em, quoteUpdatedEvent(orgId, id, { deleted: true }));
  });
  deps.logger.debug({ quoteId: id }, 'quote deleted');
}

/** The quote; 404 when it is not the caller's organization's. */
export async function getQuote(deps: UseCaseDeps, orgId: string, id: string): Promise<QuoteRow> {
  const quote = await findQuote(deps.orm.em, orgId, id);
  if (!quote) throw quoteNotFound();
  return quote;
}

/** A page of quotes, newest first, with the cursor of the next page (null on the last one). */
export async function listQuotePage(
  deps: UseCaseDeps,
  orgId: string,
  query: QuoteListQuery,
  createdBy?: string,
): Promise<{ items: QuoteRow[]; nextCursor: string | null }> {
  const limit = query.limit ?? 50;
  const rows = await listQuotes(deps.orm.em, orgId, {
    status: query.status,
    clientId: query.clientId,
    issueDateFrom: query.issueDateFrom,
    issueDateTo: query.issueDateTo,
    before: query.cursor ? decodeCursor(query.cursor) : undefined,
    createdBy,
    limit: limit + 1,
  });
  return pageOf(rows, limit);
}

async function applyChange(deps: UseCaseDeps, orgId: string, current: QuoteRow, body: UpdateQuoteBody) {
  if (body.clientId !== undefined && body.clientId !== current.clientId) {
    await requireInvoiceableClient(deps.replicas, orgId, body.clientId);
  }
  const currency = body.currency ?? current.currency;
  const lines = await nextLines(deps, orgId, current, body.lines, currency);
  const state = pricingState(
    {
      priceMode: body.priceMode ?? current.priceMode,
      allowances: body.allowances ?? current.allowances,
      charges: body.charges ?? current.charges,
    },
    currency,
    lines,
  );
  return {
    clientId: body.clientId ?? current.clientId,
    ...quoteDates(body, current, deps.config.QUOTE_VALIDITY_DAYS),
    paymentMethod: body.paymentMethod === undefined ? current.paymentMethod : body.paymentMethod,
    notes: body.notes === undefined ? current.notes : body.notes,
    ...priced(current.id, state),
    updatedAt: new Date(),
  };
}

/** The body's lines (resolved), or the stored ones, re-checked against the products for a new currency. */
async function nextLines(
  deps: UseCaseDeps,
  orgId: string,
  current: QuoteRow,
  given: DraftLineInput[] | undefined,
  currency: string,
): Promise<LineInput[]> {
  if (given !== undefined) {
    return resolveLines(given, await deps.replicas.products(orgId, productIdsOf(given)), currency);
  }
  const lines = quoteLineInputs(current.lines);
  if (currency !== current.currency) {
    resolveLines(lines, await deps.replicas.products(orgId, productIdsOf(lines)), currency);
  }
  return lines;
}

function pricingState(
  body: Pick<CreateQuoteBody, 'priceMode' | 'allowances' | 'charges'>,
  currency: string,
  lines: LineInput[],
): PricingState {
  return {
    currency,
    priceMode: body.priceMode ?? 'net',
    lines,
    allowances: body.allowances ?? [],
    charges: body.charges ?? [],
    prepaid: undefined,
  };
}

/** The priced columns of a quote: the pricing inputs, the lines with their nets and the engine's totals. */
function priced(id: string, state: PricingState) {
  const pricing = priceDraft(state);
  const lines: QuoteLine[] = lineRows(id, state.lines, pricing).map(({ invoiceId: _, ...line }) => line);
  return {
    currency: state.currency,
    priceMode: state.priceMode,
    allowances: state.allowances,
    charges: state.charges,
    lines,
    totals: pricing.totals,
    vatBreakdown: pricing.vatBreakdown,
    taxBreakdown: pricing.taxBreakdown,
  };
}

/** The body's currency, else the client's default, else the organization's. */
async function quoteCurrency(
  deps: UseCaseDeps,
  orgId: string,
  given: string | undefined,
  client: ClientSnapshot,
  known: Parameters<UseCaseDeps['replicas']['organization']>[1],
): Promise<string> {
  const currency =
    given ?? client.defaultCurrency ?? (await deps.replicas.organization(orgId, known))?.defaultCurrency;
  if (currency) return currency;
  const message = 'is required: neither the client nor the organization has a default currency';
  throw AppError.field('VALIDATION_FAILED', '/currency', message);
}

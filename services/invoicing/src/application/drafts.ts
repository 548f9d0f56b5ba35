/**
 * Creating and deleting drafts. A draft names its client and products by id; their data is copied
 * into the draft from the replicas, and the money engine prices it (see draft-update.ts for edits).
 */
import { AppError, newId, type ClientSnapshot, type CreateInvoiceBody } from '@invoice/contracts';
import { inTransaction } from '@invoice/platform-db';
import { assertIfMatch, type IfMatch } from '@invoice/platform-http';
import { enqueueEvent } from '@invoice/platform-outbox';
import { productIdsOf, resolveLines } from '../domain/draft-lines.ts';
import { scheduleDates, todayUtc } from '../domain/due-date.ts';
import { assertEditable } from '../domain/invoice-status.ts';
import { priceDraft, type PricingState } from '../domain/pricing.ts';
import type { UseCaseDeps } from '../deps.ts';
import type { InvoiceRow } from '../db/invoice.entity.ts';
import { lineRows, pricingColumns } from '../db/invoice-mapping.ts';
import { deleteInvoice, findInvoice, insertInvoice, type StoredInvoice } from '../db/invoices.repository.ts';
import { invoiceUpdatedEvent } from './invoice-events.ts';
import { invoiceNotFound, requireClient } from './guards.ts';

/** Creates a draft: resolves client, currency, products and dates, prices it and stores it. */
export async function createDraft(
  deps: UseCaseDeps,
  orgId: string,
  body: CreateInvoiceBody,
): Promise<StoredInvoice> {
  const client = await requireClient(deps.replicas, orgId, body.clientId);
  const currency = await draftCurrency(deps, orgId, body, client);
  const products = await deps.replicas.products(orgId, productIdsOf(body.lines));
  const state: PricingState = {
    currency,
    priceMode: body.priceMode ?? 'net',
    lines: resolveLines(body.lines, products, currency),
    allowances: body.allowances ?? [],
    charges: body.charges ?? [],
    prepaid: body.prepaid,
  };
  const pricing = priceDraft(state);
  const terms = client.paymentTermsDays ?? deps.config.DEFAULT_PAYMENT_TERMS_DAYS;
  const now = new Date();
  const invoice: InvoiceRow = {
    ...emptyDraft(orgId, body, now),
    ...scheduleDates(body, { issueDate: todayUtc(now), paymentTermsDays: terms }),
    ...pricingColumns(state, pricing),
  };
  const rows = lineRows(invoice.id, state.lines, pricing);
  await inTransaction(deps.orm, async (em) => {
    await insertInvoice(em, invoice, rows);
    await enqueueEvent(em, invoiceUpdatedEvent(orgId, invoice.id, { totals: pricing.totals }));
  });
  deps.logger.info({ invoiceId: invoice.id, lines: rows.length }, 'draft created');
  return { invoice, lines: rows };
}

/** The body's currency, else the client's default, else the organization's. */
async function draftCurrency(
  deps: UseCaseDeps,
  orgId: string,
  body: CreateInvoiceBody,
  client: ClientSnapshot,
): Promise<string> {
  const currency =
    body.currency ?? client.defaultCurrency ?? (await deps.replicas.organization(orgId))?.defaultCurrency;
  if (currency) return currency;
  const message = 'is required: neither the client nor the organization has a default currency';
  throw AppError.field('VALIDATION_FAILED', '/currency', message);
}

/** The parts of a new draft row that do not depend on pricing or dates. */
function emptyDraft(orgId: string, body: CreateInvoiceBody, now: Date) {
  return {
    id: newId(),
    orgId,
    type: 'invoice' as const,
    status: 'draft' as const,
    number: null,
    seriesId: null,
    clientId: body.clientId,
    paymentMethod: body.paymentMethod ?? null,
    notes: body.notes ?? null,
    seller: null,
    buyer: null,
    version: 1,
    documentVersion: null,
    issuedAt: null,
    lastSentAt: null,
    createdAt: now,
    updatedAt: now,
  };
}

/** Deletes a draft (issued invoices are never deleted). */
export async function deleteDraft(
  deps: UseCaseDeps,
  orgId: string,
  id: string,
  ifMatch: IfMatch,
): Promise<void> {
  await inTransaction(deps.orm, async (em) => {
    const invoice = await findInvoice(em, orgId, id, { lock: true });
    if (!invoice) throw invoiceNotFound();
    assertEditable(invoice.status);
    assertIfMatch(ifMatch, invoice.version, { resource: 'invoice' });
    await deleteInvoice(em, id);
    await enqueueEvent(em, invoiceUpdatedEvent(orgId, id, { deleted: true }));
  });
  deps.logger.info({ invoiceId: id }, 'draft deleted');
}

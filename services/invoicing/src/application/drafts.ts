/**
 * Creating and deleting drafts. A draft names its client and products by id; their data is copied
 * into the draft from the replicas, and the money engine prices it (see draft-update.ts for edits).
 */
import {
  AppError,
  newId,
  type ClientSnapshot,
  type CreateInvoiceBody,
  type Organization,
} from '@invoice/contracts';
import { inTransaction } from '@invoice/platform-db';
import { assertIfMatch, type IfMatch } from '@invoice/platform-http';
import { productIdsOf, resolveLines } from '../domain/draft-lines.ts';
import { scheduleDates, todayUtc } from '../domain/due-date.ts';
import { assertEditable } from '../domain/invoice-status.ts';
import { priceDraft, type PricingState } from '../domain/pricing.ts';
import type { UseCaseDeps } from '../deps.ts';
import type { InvoiceRow } from '../db/invoice.entity.ts';
import { lineRows, pricingColumns } from '../db/invoice-mapping.ts';
import { deleteDraftRow, findInvoice, insertDraft, type StoredInvoice } from '../db/invoices.repository.ts';
import { outboxRow, wakeRelays } from '../db/outbox.ts';
import { invoiceUpdatedEvent } from './invoice-events.ts';
import { invoiceNotFound, invoiceableClient } from './guards.ts';

/**
 * Creates a draft: resolves client, currency, products and dates (one read of the replicas), prices
 * it and stores it with its lines and event in one statement.
 */
export async function createDraft(
  deps: UseCaseDeps,
  orgId: string,
  body: CreateInvoiceBody,
  createdBy?: string,
): Promise<StoredInvoice> {
  const replicas = await deps.replicas.forDraft(orgId, {
    clientId: body.clientId,
    productIds: productIdsOf(body.lines),
    organization: body.currency === undefined,
  });
  const client = invoiceableClient(replicas.client);
  const currency = await draftCurrency(deps, orgId, body, client, replicas.organization);
  const products = await replicas.products();
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
    ...(createdBy ? { createdBy } : {}),
    ...emptyDraft(orgId, body, now),
    ...scheduleDates(body, { issueDate: todayUtc(now), paymentTermsDays: terms }),
    ...pricingColumns(state, pricing),
  };
  const rows = lineRows(invoice.id, state.lines, pricing);
  const event = outboxRow(invoiceUpdatedEvent(orgId, invoice.id, { totals: pricing.totals }));
  await insertDraft(deps.orm.em, invoice, rows, event);
  deps.logger.debug({ invoiceId: invoice.id, lines: rows.length }, 'draft created');
  return { invoice, lines: rows };
}

/** The body's currency, else the client's default, else the organization's (`known`: its replica row). */
async function draftCurrency(
  deps: UseCaseDeps,
  orgId: string,
  body: CreateInvoiceBody,
  client: ClientSnapshot,
  known: Organization | null | undefined,
): Promise<string> {
  const currency =
    body.currency ??
    client.defaultCurrency ??
    (await deps.replicas.organization(orgId, known))?.defaultCurrency;
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
    totalPaid: '0',
    totalCredited: '0',
    creditBalance: '0',
    paidAt: null,
    voidedAt: null,
    voidReason: null,
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
    await deleteDraftRow(em, orgId, id, outboxRow(invoiceUpdatedEvent(orgId, id, { deleted: true })));
  });
  wakeRelays(deps.orm.em);
  deps.logger.debug({ invoiceId: id }, 'draft deleted');
}

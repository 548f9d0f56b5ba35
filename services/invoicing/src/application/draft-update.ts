/**
 * Editing a draft: the given fields replace the stored ones (lines as a whole), the engine reprices
 * it, and the write succeeds only if nobody changed the draft since it was read (optimistic: the
 * update names the version read, so `If-Match` is checked against exactly the version written).
 */
import { AppError, canonicalDecimal, type LineInput, type UpdateInvoiceBody } from '@invoice/contracts';
import { assertIfMatch, type IfMatch } from '@invoice/platform-http';
import { productIdsOf, resolveLines } from '../domain/draft-lines.ts';
import { scheduleDates } from '../domain/due-date.ts';
import { assertEditable } from '../domain/invoice-status.ts';
import { priceDraft, type PricingState } from '../domain/pricing.ts';
import type { UseCaseDeps } from '../deps.ts';
import { lineInput, lineRows, pricingColumns } from '../db/invoice-mapping.ts';
import { findInvoiceWithLines, updateDraftRow, type StoredInvoice } from '../db/invoices.repository.ts';
import { outboxRow } from '../db/outbox.ts';
import { invoiceUpdatedEvent } from './invoice-events.ts';
import { invoiceNotFound, requireInvoiceableClient } from './guards.ts';

/** Without If-Match tags, a lost race is retried this many times before giving up. */
const MAX_ATTEMPTS = 3;

/** Replaces the given fields of a draft and reprices it. */
export async function updateDraft(
  deps: UseCaseDeps,
  orgId: string,
  id: string,
  body: UpdateInvoiceBody,
  ifMatch: IfMatch,
): Promise<StoredInvoice> {
  for (let attempt = 1; ; attempt++) {
    const stored = await findInvoiceWithLines(deps.orm.em, orgId, id);
    if (!stored) throw invoiceNotFound();
    assertEditable(stored.invoice.status);
    // Checked against the version the update below is conditional on.
    assertIfMatch(ifMatch, stored.invoice.version, { resource: 'invoice' });
    const next = await applyChange(deps, orgId, stored, body);
    const event = outboxRow(invoiceUpdatedEvent(orgId, id, { totals: next.totals }));
    // One statement: the row (if still at the version read), its lines and its event, or nothing.
    const saved = await updateDraftRow(
      deps.orm.em,
      id,
      stored.invoice.version,
      next.changes,
      next.lines,
      event,
    );
    if (saved) {
      deps.logger.debug({ invoiceId: id }, 'draft updated');
      const invoice = { ...stored.invoice, ...next.changes, version: stored.invoice.version + 1 };
      return { invoice, lines: next.lines ?? stored.lines };
    }
    // Someone changed the draft between our read and our write: a caller who named the version it
    // read (If-Match tags) loses; otherwise (no header, `*`) read again and reapply the change.
    if (ifMatch.kind === 'tags' || attempt >= MAX_ATTEMPTS) {
      throw new AppError('PRECONDITION_FAILED', { detail: 'The invoice changed meanwhile' });
    }
  }
}

/** The new row values, the new totals, and the new line rows when the lines or their nets changed. */
async function applyChange(deps: UseCaseDeps, orgId: string, stored: StoredInvoice, body: UpdateInvoiceBody) {
  const current = stored.invoice;
  if (body.clientId !== undefined && body.clientId !== current.clientId) {
    await requireInvoiceableClient(deps.replicas, orgId, body.clientId);
  }
  const currency = body.currency ?? current.currency;
  const state: PricingState = {
    currency,
    priceMode: body.priceMode ?? current.priceMode,
    lines: await nextLines(deps, orgId, stored, body.lines, currency),
    allowances: body.allowances ?? current.allowances,
    charges: body.charges ?? current.charges,
    prepaid: body.prepaid ?? (current.prepaid === null ? undefined : canonicalDecimal(current.prepaid)),
  };
  const pricing = priceDraft(state);
  const changes = {
    clientId: body.clientId ?? current.clientId,
    ...scheduleDates(body, current),
    paymentMethod: body.paymentMethod === undefined ? current.paymentMethod : body.paymentMethod,
    notes: body.notes === undefined ? current.notes : body.notes,
    ...pricingColumns(state, pricing),
    updatedAt: new Date(),
  };
  const netsChanged =
    pricing.lines.length !== stored.lines.length ||
    pricing.lines.some(
      (line, i) => canonicalDecimal(line.net) !== canonicalDecimal(stored.lines[i]?.net ?? ''),
    );
  const replace = body.lines !== undefined || netsChanged;
  return {
    changes,
    totals: pricing.totals,
    lines: replace ? lineRows(current.id, state.lines, pricing) : undefined,
  };
}

/** The body's lines (resolved), or the stored ones, re-checked against the products for a new currency. */
async function nextLines(
  deps: UseCaseDeps,
  orgId: string,
  stored: StoredInvoice,
  given: UpdateInvoiceBody['lines'],
  currency: string,
): Promise<LineInput[]> {
  if (given !== undefined) {
    return resolveLines(given, await deps.replicas.products(orgId, productIdsOf(given)), currency);
  }
  const lines = stored.lines.map(lineInput);
  if (currency !== stored.invoice.currency) {
    resolveLines(lines, await deps.replicas.products(orgId, productIdsOf(lines)), currency);
  }
  return lines;
}

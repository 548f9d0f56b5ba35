/**
 * Credit notes: issued at once against an issued invoice, in one transaction that locks the invoice,
 * checks what remains creditable, draws the next number of the credit-note series, stores the frozen
 * credit note, re-settles the invoice (its `due` and status account for the credit), and writes
 * `invoicing.credit-note.issued.v1` (and `invoicing.invoice.paid.v1` when nothing is due any more).
 */
import {
  AppError,
  newId,
  Subjects,
  type CreateCreditNoteBody,
  type CreditNote,
  type CreditNoteIssued,
  type DocumentPricingResult,
  type LineInput,
} from '@invoice/contracts';
import { enqueueEvent } from '@invoice/platform-outbox';
import {
  assertWithinCreditable,
  draftCreditNote,
  type CreditableInvoice,
  type PriorCredits,
} from '../domain/credit-note.ts';
import { assertCreditNoteAllowed } from '../domain/invoice-status.ts';
import { Dec, fixed } from '../domain/money/decimal.ts';
import { resolveSeries } from '../domain/numbering.ts';
import { minorUnitsOf, priceForIssue } from '../domain/pricing.ts';
import { buildInvoiceSnapshot } from '../domain/snapshot.ts';
import type { UseCaseDeps } from '../deps.ts';
import {
  findCreditNoteRow,
  insertCreditNote,
  listCreditNoteRows,
  type CreditNoteRow,
} from '../db/credit-notes.repository.ts';
import type { InvoiceRow } from '../db/invoice.entity.ts';
import { lineInput } from '../db/invoice-mapping.ts';
import { findInvoice, findInvoiceWithLines } from '../db/invoices.repository.ts';
import { drawNumber, numberTakenOr, readSeries } from '../db/number-series.repository.ts';
import { listPaymentRows } from '../db/payments.repository.ts';
import { toCreditNote } from './credit-note-view.ts';
import { invoiceNotFound } from './guards.ts';
import { invoiceLifecycleEvent } from './invoice-events.ts';
import { resettle, settlementData, withLockedInvoice } from './settlement.ts';

/** Issues a credit note against the invoice; answers it. */
export async function createCreditNote(
  deps: UseCaseDeps,
  orgId: string,
  invoiceId: string,
  body: CreateCreditNoteBody,
): Promise<CreditNote> {
  const row = await withLockedInvoice(deps, orgId, invoiceId, async (em, invoice) => {
    assertCreditNoteAllowed(invoice.status);
    const issueDate = body.issueDate ?? new Date().toISOString().slice(0, 10);
    if (issueDate < invoice.issueDate) {
      throw AppError.field('VALIDATION_FAILED', '/issueDate', 'must not be before the invoice issue date');
    }
    const stored = await findInvoiceWithLines(em, orgId, invoiceId);
    const prior = await listCreditNoteRows(em, orgId, invoiceId);
    if (!stored || !invoice.number || !invoice.seller || !invoice.buyer) {
      throw new Error(`issued invoice ${invoiceId} lacks its lines, number or parties`);
    }
    const creditable = creditableOf(
      invoice,
      stored.lines.map((line) => ({ ...lineInput(line), position: line.position })),
    );
    const priorCredits = priorCreditsOf(prior);
    const draft = draftCreditNote(creditable, priorCredits, body);
    const pricing = priceForIssue(draft.state);
    assertWithinCreditable(creditable, priorCredits, pricing, draft.field);
    const numbering = await readSeries(em, orgId, 'credit_note');
    const series = resolveSeries('credit_note', numbering.settings, numbering.legacyPrefix);
    const drawn = await drawNumber(em, orgId, 'credit_note', series, issueDate);
    const now = new Date();
    const creditNote: CreditNoteRow = {
      id: newId(),
      orgId,
      invoiceId,
      number: drawn.number,
      seriesId: drawn.seriesId,
      clientId: invoice.clientId,
      currency: invoice.currency,
      issueDate,
      reason: body.reason ?? null,
      priceMode: draft.state.priceMode,
      lines: buildLines(draft.state.lines, pricing, draft.creditedPositions),
      allowances: pricing.allowances,
      charges: pricing.charges,
      totals: pricing.totals,
      vatBreakdown: pricing.vatBreakdown,
      taxBreakdown: pricing.taxBreakdown,
      seller: invoice.seller,
      buyer: invoice.buyer,
      documentVersion: 1,
      issuedAt: now,
      invoiceNumber: invoice.number,
      invoiceIssueDate: invoice.issueDate,
    };
    await insertCreditNote(em, creditNote).catch((error: unknown) => {
      throw numberTakenOr(error);
    });
    const decimals = minorUnitsOf(invoice.currency);
    const credited = fixed(new Dec(invoice.totalCredited).plus(new Dec(pricing.totals.gross)), decimals);
    const payments = await listPaymentRows(em, invoiceId);
    const updated = await resettle(em, invoice, payments, now, credited);
    await enqueueEvent(em, creditNoteIssuedEvent(creditNote, draft.state.lines, pricing, updated));
    return creditNote;
  });
  deps.logger.debug({ invoiceId, creditNoteId: row.id, number: row.number }, 'credit note issued');
  return toCreditNote(row);
}

function creditableOf(invoice: InvoiceRow, lines: CreditableInvoice['lines']): CreditableInvoice {
  return {
    number: invoice.number ?? '',
    currency: invoice.currency,
    priceMode: invoice.priceMode,
    lines,
    allowances: invoice.allowances,
    charges: invoice.charges,
    vatBreakdown: invoice.vatBreakdown,
    decimals: minorUnitsOf(invoice.currency),
  };
}

function priorCreditsOf(rows: readonly CreditNoteRow[]): PriorCredits {
  const quantities = new Map<number, string>();
  for (const row of rows) {
    for (const line of row.lines) {
      if (line.creditedPosition === null) continue;
      const before = new Dec(quantities.get(line.creditedPosition) ?? '0');
      quantities.set(line.creditedPosition, before.plus(new Dec(String(line.quantity))).toFixed());
    }
  }
  return { vatBreakdowns: rows.map((row) => row.vatBreakdown), quantities };
}

function buildLines(
  lines: readonly LineInput[],
  pricing: DocumentPricingResult,
  creditedPositions: (number | null)[],
): CreditNoteRow['lines'] {
  return lines.map((line, i) => ({
    position: i + 1,
    ...line,
    net: pricing.lines[i]?.net ?? '0',
    creditedPosition: creditedPositions[i] ?? null,
  }));
}

function creditNoteIssuedEvent(
  row: CreditNoteRow,
  lines: LineInput[],
  pricing: DocumentPricingResult,
  invoice: InvoiceRow,
) {
  const snapshot = {
    ...buildInvoiceSnapshot({
      id: row.id,
      number: row.number,
      status: 'issued',
      clientId: row.clientId,
      currency: row.currency,
      issueDate: row.issueDate,
      dueDate: row.issueDate,
      paymentMethod: null,
      notes: row.reason,
      priceMode: row.priceMode,
      lines,
      seller: row.seller,
      buyer: row.buyer,
      pricing,
      issuedAt: row.issuedAt,
      documentVersion: row.documentVersion,
      // A credit note is seen by whoever sees its invoice.
      createdBy: invoice.createdBy ?? null,
    }),
    type: 'credit_note' as const,
    creditedInvoice: { id: invoice.id, number: row.invoiceNumber, issueDate: row.invoiceIssueDate },
  };
  const data: CreditNoteIssued = {
    creditNote: snapshot,
    creditedInvoice: { id: invoice.id, number: row.invoiceNumber, issueDate: row.invoiceIssueDate },
    invoice: settlementData(invoice),
    ...(row.reason ? { reason: row.reason } : {}),
  };
  return invoiceLifecycleEvent(row.orgId, Subjects.CreditNoteIssued, row.id, data);
}

/** The credit notes of an invoice, oldest first (404 when the invoice is not the organization's). */
export async function listCreditNotes(
  deps: UseCaseDeps,
  orgId: string,
  invoiceId: string,
): Promise<CreditNote[]> {
  const em = deps.orm.em.fork();
  if (!(await findInvoice(em, orgId, invoiceId))) throw invoiceNotFound();
  return (await listCreditNoteRows(em, orgId, invoiceId)).map(toCreditNote);
}

/** One credit note of the organization. */
export async function getCreditNote(deps: UseCaseDeps, orgId: string, id: string): Promise<CreditNote> {
  const row = await findCreditNoteRow(deps.orm.em.fork(), orgId, id);
  if (!row) throw new AppError('NOT_FOUND', { detail: 'No such credit note' });
  return toCreditNote(row);
}

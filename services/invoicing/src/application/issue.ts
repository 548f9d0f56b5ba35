/**
 * Issuing: checks and prices the draft from one read (the draft, its lines, seller and buyer replicas
 * and the number-series template), builds the `invoicing.invoice.issued.v1` snapshot, then writes it
 * all in ONE statement (db/issue.repository.ts): the draft still at the priced version, the next
 * number of its series (gapless and unique under concurrency), the frozen seller, buyer and totals,
 * and the event in the outbox. No lock is held while replicas are asked or the snapshot is built.
 */
import { AppError, canonicalDecimal, type DocumentPricingResult, type Party } from '@invoice/contracts';
import type { IfMatch } from '@invoice/platform-http';
import { assertIfMatch } from '@invoice/platform-http';
import { issue } from '../domain/invoice-status.ts';
import { numberPlaceholder, resolveSeries, seriesPeriod } from '../domain/numbering.ts';
import { buyerParty, sellerParty } from '../domain/parties.ts';
import { priceForIssue } from '../domain/pricing.ts';
import { buildInvoiceSnapshot } from '../domain/snapshot.ts';
import type { UseCaseDeps } from '../deps.ts';
import type { InvoiceRow } from '../db/invoice.entity.ts';
import { lineInput, totalsColumns } from '../db/invoice-mapping.ts';
import { findInvoice, type StoredInvoice } from '../db/invoices.repository.ts';
import { issueDraft, readIssueContext, type IssueContext } from '../db/issue.repository.ts';
import { numberTakenOr } from '../db/number-series.repository.ts';
import { outboxRow } from '../db/outbox.ts';
import { invoiceIssuedEvent } from './invoice-events.ts';
import { clientOrFail, invoiceNotFound } from './guards.ts';

/** The first revision of an issued document (payments or a void may produce later ones). */
const FIRST_DOCUMENT_VERSION = 1;

/** Issues a draft; 409 INVOICE_NOT_DRAFT when it is not (or no longer) a draft. */
export async function issueInvoice(
  deps: UseCaseDeps,
  orgId: string,
  id: string,
  ifMatch: IfMatch,
): Promise<StoredInvoice> {
  const context = await readIssueContext(deps.orm.em, orgId, id);
  if (!context) throw invoiceNotFound();
  const { stored } = context;
  const draft = stored.invoice;
  const status = issue(draft.status);
  // Checked on the version we price; the write names that version, so the check and the write see
  // the same one (412 when an edit came in between).
  assertIfMatch(ifMatch, draft.version, { resource: 'invoice' });
  const parties = await resolveParties(deps, orgId, draft.clientId, context);
  const lines = stored.lines.map(lineInput);
  const pricing = priceForIssue({
    ...draft,
    lines,
    prepaid: draft.prepaid === null ? undefined : canonicalDecimal(draft.prepaid),
  });
  const issuedAt = new Date();
  const changes = {
    ...parties,
    ...totalsColumns(pricing),
    documentVersion: FIRST_DOCUMENT_VERSION,
    issuedAt,
    updatedAt: issuedAt,
  };
  const series = resolveSeries(draft.type, context.seriesSettings, context.legacyPrefix);
  // The statement puts the drawn number into the event; this stand-in (as long as any number of the
  // series) only gives the snapshot its shape for the contract and size checks.
  const provisional = numberPlaceholder(series.pattern);
  const snapshot = buildInvoiceSnapshot({
    ...draft,
    ...parties,
    status,
    number: provisional,
    lines,
    pricing,
    issuedAt,
    documentVersion: FIRST_DOCUMENT_VERSION,
  });
  // An event too large for one bus message is refused here (DOCUMENT_TOO_LARGE), before anything is
  // written: the invoice stays a draft and no number is used up.
  const event = outboxRow(invoiceIssuedEvent(orgId, snapshot));
  const issued = await issueDraft(deps.orm.em, {
    orgId,
    id,
    version: draft.version,
    fromStatus: draft.status,
    toStatus: status,
    documentType: draft.type,
    period: seriesPeriod(series.reset, draft.issueDate),
    pattern: series.pattern,
    issueDate: draft.issueDate,
    changes,
    nets: changedNets(stored, pricing),
    event,
  }).catch((error: unknown) => {
    throw numberTakenOr(error);
  });
  if (!issued) throw await whyNotIssued(deps, orgId, id, draft.version);
  deps.logger.debug({ invoiceId: id, number: issued.number }, 'invoice issued');
  const invoice: InvoiceRow = { ...draft, ...changes, status, ...issued, version: draft.version + 1 };
  const nets = pricing.lines.map((line) => line.net);
  return { invoice, lines: stored.lines.map((line, i) => ({ ...line, net: nets[i] ?? line.net })) };
}

/** Why the issue statement found nothing to write: gone (404), no longer a draft (409), or edited (412). */
async function whyNotIssued(deps: UseCaseDeps, orgId: string, id: string, version: number): Promise<Error> {
  const current = await findInvoice(deps.orm.em, orgId, id);
  if (!current) return invoiceNotFound();
  try {
    issue(current.status);
  } catch (error) {
    return error as Error;
  }
  if (current.version !== version) {
    return new AppError('PRECONDITION_FAILED', { detail: 'The draft changed while it was being issued' });
  }
  return new Error(`issuing invoice ${id} wrote nothing although it is an unchanged draft`);
}

/** Seller from the organization replica, buyer from the client replica, both as of now. */
async function resolveParties(
  deps: UseCaseDeps,
  orgId: string,
  clientId: string,
  context: IssueContext,
): Promise<{ seller: Party; buyer: Party }> {
  const organization = await deps.replicas.organization(orgId, context.organization);
  if (!organization)
    throw new AppError('SELLER_INCOMPLETE', { detail: 'The organization profile is not available' });
  const seller = sellerParty(organization);
  const buyer = buyerParty(clientOrFail(await deps.replicas.client(orgId, clientId, context.client)));
  return { seller, buyer };
}

/** Line nets that differ from the engine's (only if the engine changed since the last edit). */
function changedNets(
  stored: StoredInvoice,
  pricing: DocumentPricingResult,
): { position: number; net: string }[] {
  return stored.lines.flatMap((line, i) => {
    const net = pricing.lines[i]?.net;
    return net !== undefined && canonicalDecimal(line.net) !== canonicalDecimal(net)
      ? [{ position: line.position, net }]
      : [];
  });
}

/**
 * Issuing: checks the draft is complete, then in ONE transaction locks it, draws the next number of
 * its series (row lock: gapless and unique under concurrency), freezes seller, buyer and the engine's
 * totals, and writes `invoicing.invoice.issued.v1` with the full snapshot to the outbox.
 */
import {
  AppError,
  canonicalDecimal,
  type DocumentPricingResult,
  type LineInput,
  type Party,
} from '@invoice/contracts';
import { inTransaction, type EntityManager } from '@invoice/platform-db';
import { assertIfMatch, type IfMatch } from '@invoice/platform-http';
import { enqueueEvent } from '@invoice/platform-outbox';
import { issue } from '../domain/invoice-status.ts';
import { buyerParty, sellerParty } from '../domain/parties.ts';
import { priceForIssue } from '../domain/pricing.ts';
import { buildInvoiceSnapshot } from '../domain/snapshot.ts';
import type { UseCaseDeps } from '../deps.ts';
import type { InvoiceRow } from '../db/invoice.entity.ts';
import { lineInput, totalsColumns } from '../db/invoice-mapping.ts';
import {
  findInvoice,
  findInvoiceWithLines,
  updateInvoice,
  updateLineNets,
  type StoredInvoice,
} from '../db/invoices.repository.ts';
import { assignNextNumber } from '../db/number-series.repository.ts';
import { invoiceIssuedEvent } from './invoice-events.ts';
import { invoiceNotFound, requireClient } from './guards.ts';

/** The first revision of an issued document (payments or a void may produce later ones). */
const FIRST_DOCUMENT_VERSION = 1;

/** What is checked and priced before the transaction (no lock is held while replicas are asked). */
interface PreparedIssue {
  stored: StoredInvoice;
  lines: LineInput[];
  pricing: DocumentPricingResult;
  parties: { seller: Party; buyer: Party };
}

/** Issues a draft; 409 INVOICE_NOT_DRAFT when it is not (or no longer) a draft. */
export async function issueInvoice(
  deps: UseCaseDeps,
  orgId: string,
  id: string,
  ifMatch: IfMatch,
): Promise<StoredInvoice> {
  const stored = await findInvoiceWithLines(deps.orm.em.fork(), orgId, id);
  if (!stored) throw invoiceNotFound();
  issue(stored.invoice.status);
  // Checked on the version we price; freeze() writes that version or nothing (412), so the check and
  // the write see the same version without holding the lock while the replicas are asked.
  assertIfMatch(ifMatch, stored.invoice.version, { resource: 'invoice' });
  const parties = await resolveParties(deps, orgId, stored.invoice.clientId);
  const lines = stored.lines.map(lineInput);
  const { prepaid } = stored.invoice;
  const pricing = priceForIssue({
    ...stored.invoice,
    lines,
    prepaid: prepaid === null ? undefined : canonicalDecimal(prepaid),
  });
  const invoice = await inTransaction(deps.orm, (em) => freeze(em, { stored, lines, pricing, parties }));
  deps.logger.info({ invoiceId: id, number: invoice.number }, 'invoice issued');
  const nets = pricing.lines.map((line) => line.net);
  return { invoice, lines: stored.lines.map((line, i) => ({ ...line, net: nets[i] ?? line.net })) };
}

/** The issue transaction: lock, number, freeze, outbox. */
async function freeze(em: EntityManager, prepared: PreparedIssue): Promise<InvoiceRow> {
  const { stored, pricing, parties } = prepared;
  const locked = await findInvoice(em, stored.invoice.orgId, stored.invoice.id, { lock: true });
  if (!locked) throw invoiceNotFound();
  const status = issue(locked.status);
  // An edit committed after our read: what we priced is stale, so the caller must look again.
  if (locked.version !== stored.invoice.version) {
    throw new AppError('PRECONDITION_FAILED', { detail: 'The draft changed while it was being issued' });
  }
  const { seriesId, number } = await assignNextNumber(em, locked.orgId, locked.type, locked.issueDate);
  const issuedAt = new Date();
  const changes = {
    status,
    number,
    seriesId,
    ...parties,
    ...totalsColumns(pricing),
    documentVersion: FIRST_DOCUMENT_VERSION,
    issuedAt,
    updatedAt: issuedAt,
  };
  await updateInvoice(em, locked.id, locked.version, changes);
  await storeNets(em, stored, pricing);
  const invoice: InvoiceRow = { ...locked, ...changes, version: locked.version + 1 };
  const snapshot = buildInvoiceSnapshot({
    ...invoice,
    ...parties,
    number,
    lines: prepared.lines,
    pricing,
    issuedAt,
    documentVersion: FIRST_DOCUMENT_VERSION,
  });
  // An event too large for one bus message is refused here (DOCUMENT_TOO_LARGE): the transaction
  // rolls back, so the invoice stays a draft and no number is used up.
  await enqueueEvent(em, invoiceIssuedEvent(locked.orgId, snapshot));
  return invoice;
}

/** Seller from the organization replica, buyer from the client replica, both as of now. */
async function resolveParties(
  deps: UseCaseDeps,
  orgId: string,
  clientId: string,
): Promise<{ seller: Party; buyer: Party }> {
  const organization = await deps.replicas.organization(orgId);
  if (!organization)
    throw new AppError('SELLER_INCOMPLETE', { detail: 'The organization profile is not available' });
  const seller = sellerParty(organization);
  const buyer = buyerParty(await requireClient(deps.replicas, orgId, clientId));
  return { seller, buyer };
}

/** Rewrites line nets that differ from the engine's (only if the engine changed since the last edit). */
async function storeNets(
  em: EntityManager,
  stored: StoredInvoice,
  pricing: DocumentPricingResult,
): Promise<void> {
  const changed = stored.lines.flatMap((line, i) => {
    const net = pricing.lines[i]?.net;
    return net !== undefined && canonicalDecimal(line.net) !== canonicalDecimal(net)
      ? [{ position: line.position, net }]
      : [];
  });
  await updateLineNets(em, stored.invoice.id, changed);
}

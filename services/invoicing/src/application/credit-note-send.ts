/**
 * Sending a credit note: like an invoice (`invoicing.invoice.send-requested.v1`, answered 202), with
 * `documentType: credit_note`, so notification words it as a credit note and attaches its PDF.
 */
import { AppError, fixedDecimal, newId, type SendInvoiceBody } from '@invoice/contracts';
import { minorUnitsOf } from '../domain/pricing.ts';
import type { UseCaseDeps } from '../deps.ts';
import { findCreditNoteRow } from '../db/credit-notes.repository.ts';
import { insertEvent, outboxRow } from '../db/outbox.ts';
import { invoiceSendRequestedEvent } from './invoice-events.ts';
import { recipientsOf } from './send.ts';

/** Queues the email of a credit note; returns the request id. */
export async function sendCreditNote(
  deps: UseCaseDeps,
  orgId: string,
  id: string,
  body: SendInvoiceBody,
): Promise<{ requestId: string }> {
  const note = await findCreditNoteRow(deps.orm.em.fork(), orgId, id);
  if (!note) throw new AppError('NOT_FOUND', { detail: 'No such credit note' });
  const to = body.to ?? (await recipientsOf(deps, orgId, note.clientId, note.buyer));
  const requestId = newId();
  const credited = fixedDecimal(note.totals.gross, minorUnitsOf(note.currency));
  const event = invoiceSendRequestedEvent(orgId, {
    requestId,
    invoiceId: note.id,
    number: note.number,
    documentVersion: note.documentVersion,
    to: [...new Set(to.map((address) => address.toLowerCase()))],
    sellerName: note.seller.name,
    buyerName: note.buyer.name,
    gross: credited,
    due: credited,
    currency: note.currency,
    documentType: 'credit_note',
    creditedNumber: note.invoiceNumber,
  });
  await insertEvent(deps.orm.em, outboxRow(event));
  deps.logger.debug({ creditNoteId: id, requestId }, 'credit note send requested');
  return { requestId };
}

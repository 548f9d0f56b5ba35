/**
 * Sending: an issued invoice is emailed by the notification service once its PDF exists. Here we only
 * record the request as `invoicing.invoice.send-requested.v1` in the outbox and answer 202.
 */
import { AppError, fixedDecimal, newId, type SendInvoiceBody } from '@invoice/contracts';
import { assertSendable } from '../domain/invoice-status.ts';
import { defaultRecipient } from '../domain/parties.ts';
import { minorUnitsOf } from '../domain/pricing.ts';
import type { UseCaseDeps } from '../deps.ts';
import { findInvoice } from '../db/invoices.repository.ts';
import { insertEvent, outboxRow } from '../db/outbox.ts';
import { invoiceSendRequestedEvent } from './invoice-events.ts';
import { invoiceNotFound } from './guards.ts';

/** Queues the email of an issued invoice; returns the request id. */
export async function sendInvoice(
  deps: UseCaseDeps,
  orgId: string,
  id: string,
  body: SendInvoiceBody,
): Promise<{ requestId: string }> {
  const invoice = await findInvoice(deps.orm.em, orgId, id);
  if (!invoice) throw invoiceNotFound();
  assertSendable(invoice.status);
  if (!invoice.number || !invoice.seller || !invoice.buyer)
    throw new Error(`issued invoice ${id} lacks its number or parties`);
  const to = body.to ?? (await recipientsOf(deps, orgId, invoice.clientId, invoice.buyer));
  const decimals = minorUnitsOf(invoice.currency);
  const requestId = newId();
  const event = invoiceSendRequestedEvent(orgId, {
    requestId,
    invoiceId: invoice.id,
    number: invoice.number,
    documentVersion: invoice.documentVersion ?? 1,
    to: [...new Set(to.map((address) => address.toLowerCase()))],
    sellerName: invoice.seller.name,
    buyerName: invoice.buyer.name,
    gross: fixedDecimal(invoice.totalGross, decimals),
    due: fixedDecimal(invoice.totalDue, decimals),
    currency: invoice.currency,
    dueDate: invoice.dueDate,
    ...(invoice.createdBy ? { createdBy: invoice.createdBy } : {}),
  });
  await insertEvent(deps.orm.em, outboxRow(event));
  deps.logger.debug({ invoiceId: id, requestId, recipients: to.length }, 'invoice send requested');
  return { requestId };
}

/** The client's current email (else the one frozen at issue); VALIDATION_FAILED on `/to` if none. */
export async function recipientsOf(
  deps: UseCaseDeps,
  orgId: string,
  clientId: string,
  buyer: { email?: string },
): Promise<string[]> {
  const client = await deps.replicas.client(orgId, clientId).catch(() => undefined);
  const address = defaultRecipient(client, buyer);
  if (!address)
    throw AppError.field('VALIDATION_FAILED', '/to', 'the client has no email address; give the recipients');
  return [address];
}

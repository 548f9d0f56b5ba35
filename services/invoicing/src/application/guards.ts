/** Shared guards of the invoice use cases (If-Match is the platform's `assertIfMatch`). */
import { AppError, type ClientSnapshot } from '@invoice/contracts';
import type { ReplicaLookup } from './replica-lookup.ts';

/** The client; 422 CLIENT_NOT_FOUND naming `/clientId` when catalog has no such client. */
export function clientOrFail(client: ClientSnapshot | undefined): ClientSnapshot {
  if (!client) throw AppError.field('CLIENT_NOT_FOUND', '/clientId', 'no such client');
  return client;
}

/**
 * The client a draft is being made out to: 422 CLIENT_NOT_FOUND when there is none, 422
 * CLIENT_ARCHIVED naming `/clientId` when catalog archived it (no new invoices for it; drafts made
 * before the archiving can still be issued).
 */
export function invoiceableClient(client: ClientSnapshot | undefined): ClientSnapshot {
  const found = clientOrFail(client);
  if (found.archived) throw AppError.field('CLIENT_ARCHIVED', '/clientId', 'the client is archived');
  return found;
}

/** The client a draft is moved to, read (or asked of catalog); see {@link invoiceableClient}. */
export async function requireInvoiceableClient(
  replicas: ReplicaLookup,
  orgId: string,
  clientId: string,
): Promise<ClientSnapshot> {
  return invoiceableClient(await replicas.client(orgId, clientId));
}

/** 404 for a missing invoice (including another organization's). */
export function invoiceNotFound(): AppError {
  return new AppError('NOT_FOUND', { detail: 'No such invoice' });
}

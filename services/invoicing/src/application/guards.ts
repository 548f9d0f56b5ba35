/** Shared guards of the invoice use cases (If-Match is the platform's `assertIfMatch`). */
import { AppError, type ClientSnapshot } from '@invoice/contracts';
import type { ReplicaLookup } from './replica-lookup.ts';

/** The client; 422 CLIENT_NOT_FOUND naming `/clientId` when catalog has no such client. */
export function clientOrFail(client: ClientSnapshot | undefined): ClientSnapshot {
  if (!client) throw AppError.field('CLIENT_NOT_FOUND', '/clientId', 'no such client');
  return client;
}

/** The invoice's client, read (or asked of catalog); 422 CLIENT_NOT_FOUND when there is none. */
export async function requireClient(
  replicas: ReplicaLookup,
  orgId: string,
  clientId: string,
): Promise<ClientSnapshot> {
  return clientOrFail(await replicas.client(orgId, clientId));
}

/** 404 for a missing invoice (including another organization's). */
export function invoiceNotFound(): AppError {
  return new AppError('NOT_FOUND', { detail: 'No such invoice' });
}

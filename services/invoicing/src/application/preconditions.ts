/** Shared guards of the invoice use cases. */
import { AppError, type ClientSnapshot } from '@invoice/contracts';
import type { ReplicaLookup } from './replica-lookup.ts';

/** The versions an `If-Match` header accepts; undefined means "any" (no header, or `*`). */
export type ExpectedVersions = readonly number[] | undefined;

/** Throws PRECONDITION_FAILED when the caller's `If-Match` does not name the current version. */
export function assertVersion(expected: ExpectedVersions, current: number): void {
  if (expected && !expected.includes(current)) {
    throw new AppError('PRECONDITION_FAILED', { detail: `The invoice is at version ${current}` });
  }
}

/** The invoice's client; 422 CLIENT_NOT_FOUND naming `/clientId` when catalog has no such client. */
export async function requireClient(
  replicas: ReplicaLookup,
  orgId: string,
  clientId: string,
): Promise<ClientSnapshot> {
  const client = await replicas.client(orgId, clientId);
  if (!client) throw AppError.field('CLIENT_NOT_FOUND', '/clientId', 'no such client');
  return client;
}

/** 404 for a missing invoice (including another organization's). */
export function invoiceNotFound(): AppError {
  return new AppError('NOT_FOUND', { detail: 'No such invoice' });
}

/** Inserts a pending document row directly, as if its job had been lost (no job is enqueued). */
import { newId, type InvoiceSnapshot } from '@invoice/contracts';
import { insertPendingDocumentOnce } from '../../src/db/documents.repository.ts';
import type { Deps } from '../../src/deps.ts';
import { documentKey } from '../../src/domain/document-key.ts';

/** Returns the new document id. `source` may be anything, to store data that cannot be rendered. */
export async function insertPending(
  deps: Pick<Deps, 'orm' | 'storage'>,
  orgId: string,
  invoice: InvoiceSnapshot,
  source: Record<string, unknown> = invoice as unknown as Record<string, unknown>,
): Promise<string> {
  const identity = { orgId, sourceType: 'invoice' as const, sourceId: invoice.id, version: invoice.version };
  const id = await insertPendingDocumentOnce(deps.orm.em.fork(), 'test', newId(), {
    ...identity,
    id: newId(),
    number: invoice.number,
    source,
    s3Bucket: deps.storage.bucket,
    s3Key: documentKey(identity),
  });
  if (!id) throw new Error(`invoice ${invoice.id} v${invoice.version} already has a document`);
  return id;
}

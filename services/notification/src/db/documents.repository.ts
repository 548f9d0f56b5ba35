/** The documents this service knows about (from `document.rendered.v1`), and the per-document lock. */
import { qualified, type EntityManager } from '@invoice/platform-db';

/**
 * The advisory lock that serializes everything about one (invoice, document version): the
 * consumers take it with their inbox row (`recordOnce`), so a send request and the rendered
 * document arriving together cannot both miss each other.
 */
export function invoiceDocumentLock(invoiceId: string, version: number): string {
  return `notification:${invoiceId}:${version}`;
}

/** True when the organization's document for (invoice, version) is known. */
export async function documentExists(
  em: EntityManager,
  orgId: string,
  invoiceId: string,
  version: number,
): Promise<boolean> {
  return (await findDocument(em, orgId, invoiceId, version)) !== undefined;
}

/** A rendered document as `document.rendered.v1` describes it. */
export interface DocumentInput {
  orgId: string;
  sourceId: string;
  version: number;
  bucket: string;
  key: string;
  sha256: string;
  number: string;
}

/** Records (or refreshes) a rendered document. */
export async function upsertDocument(em: EntityManager, doc: DocumentInput): Promise<void> {
  await em.execute(
    `insert into ${qualified(em, 'documents')} (source_id, version, org_id, bucket, key, sha256, number)
     values (?, ?, ?, ?, ?, ?, ?)
     on conflict (source_id, version) do update
       set bucket = excluded.bucket, key = excluded.key, sha256 = excluded.sha256, number = excluded.number
       where ${qualified(em, 'documents')}.org_id = excluded.org_id`,
    [doc.sourceId, doc.version, doc.orgId, doc.bucket, doc.key, doc.sha256, doc.number],
  );
}

/** The document row an invoice email attaches. */
export async function findDocument(
  em: EntityManager,
  orgId: string,
  invoiceId: string,
  version: number,
): Promise<{ bucket: string; key: string; sha256: string; number: string } | undefined> {
  const rows = await em.execute<{ bucket: string; key: string; sha256: string; number: string }[]>(
    `select bucket, key, sha256, number from ${qualified(em, 'documents')} where source_id = ? and version = ? and org_id = ?`,
    [invoiceId, version, orgId],
  );
  return rows[0];
}

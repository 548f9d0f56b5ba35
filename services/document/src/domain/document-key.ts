/** Where a document's file lives: keys are made by the server and always tenant-prefixed. */

/** What a document was rendered from. */
export type SourceType = 'invoice' | 'credit_note' | 'quote';

const FOLDERS: Record<SourceType, string> = {
  invoice: 'invoices',
  credit_note: 'credit-notes',
  quote: 'quotes',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The identity of one rendered version of a source document. */
export interface DocumentKeyInput {
  orgId: string;
  sourceType: SourceType;
  sourceId: string;
  version: number;
}

/**
 * The S3 key `orgs/{orgId}/invoices/{invoiceId}/{version}.pdf`. Only ids and an integer reach the
 * key (checked here, not trusted), so no caller-supplied text can shape a path.
 */
export function documentKey(input: DocumentKeyInput): string {
  if (!UUID.test(input.orgId)) throw new Error('orgId must be a UUID');
  if (!UUID.test(input.sourceId)) throw new Error('sourceId must be a UUID');
  if (!Number.isSafeInteger(input.version) || input.version < 1)
    throw new Error('version must be a positive integer');
  const folder = FOLDERS[input.sourceType];
  if (!folder) throw new Error(`unknown source type ${String(input.sourceType)}`);
  return `orgs/${input.orgId.toLowerCase()}/${folder}/${input.sourceId.toLowerCase()}/${input.version}.pdf`;
}

/** A download file name made from the document number (anything unusual becomes `_`). */
export function pdfFilename(number: string): string {
  const safe = number
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(0, 100);
  return `${safe || 'document'}.pdf`;
}

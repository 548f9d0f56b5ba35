/**
 * `invoicing.credit-note.issued.v1` → a pending credit-note document → a render job. The PDF is titled
 * "Credit note" and names the invoice it credits (number and date).
 */
import { Subjects, type CreditNoteIssued } from '@invoice/contracts';
import type { ConsumerDefinition } from '@invoice/platform-bus';
import type { Deps } from '../deps.ts';
import { snapshotDocumentConsumer } from './invoice-issued.consumer.ts';

export const CREDIT_NOTE_ISSUED_DURABLE = 'document-credit-note-issued';

/** The consumer definition (registered in `events/index.ts`). */
export function creditNoteIssuedConsumer(
  deps: Pick<Deps, 'orm' | 'storage' | 'renderQueue'>,
): ConsumerDefinition<CreditNoteIssued> {
  return snapshotDocumentConsumer<CreditNoteIssued>(
    deps,
    CREDIT_NOTE_ISSUED_DURABLE,
    Subjects.CreditNoteIssued,
    (data) => data.creditNote,
  );
}

/**
 * `invoicing.invoice.voided.v1` → the invoice's next document version (status `void`), rendered like
 * an issued one and stamped VOID; `GET /v1/invoices/{id}/pdf` then serves it as the newest version.
 */
import { Subjects, type InvoiceVoided } from '@invoice/contracts';
import type { ConsumerDefinition } from '@invoice/platform-bus';
import type { Deps } from '../deps.ts';
import { snapshotDocumentConsumer } from './invoice-issued.consumer.ts';

export const INVOICE_VOIDED_DURABLE = 'document-invoice-voided';

/** The consumer definition (registered in `events/index.ts`). */
export function invoiceVoidedConsumer(
  deps: Pick<Deps, 'orm' | 'storage' | 'renderQueue'>,
): ConsumerDefinition<InvoiceVoided> {
  return snapshotDocumentConsumer<InvoiceVoided>(
    deps,
    INVOICE_VOIDED_DURABLE,
    Subjects.InvoiceVoided,
    (data) => data.invoice,
  );
}

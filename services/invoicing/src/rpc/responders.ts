/**
 * Request/reply answered by invoicing: the draft preview snapshot the document service renders for
 * `GET /v1/invoices/{id}/preview.pdf`. Queue group per subject, so API replicas share requests; run
 * with the `api` role. The bus validates requests against contracts/src/rpc.ts.
 */
import { RpcSubjects } from '@invoice/contracts';
import type { Deps } from '../deps.ts';
import { previewSnapshot } from '../application/preview.ts';

/** Starts the responders; they end when the bus closes. */
export function responders(deps: Pick<Deps, 'bus' | 'config' | 'logger' | 'orm' | 'replicas'>): void {
  deps.bus.respond(RpcSubjects.InvoicingInvoicePreview, async ({ orgId, invoiceId }) => ({
    invoice: await previewSnapshot(deps, orgId, invoiceId),
  }));
}

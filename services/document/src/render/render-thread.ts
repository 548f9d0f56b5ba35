/**
 * Entry of a render thread (see `render-threads.ts`): renders each snapshot it is sent and answers
 * with the PDF bytes (transferred, not copied) or with the reason the snapshot cannot be printed.
 */
import { parentPort } from 'node:worker_threads';
import type { InvoiceSnapshot } from '@invoice/contracts';
import { invoiceFonts } from './fonts.ts';
import { renderInvoicePdf } from './invoice-pdf.ts';

/** A render request. */
export interface RenderRequest {
  id: number;
  invoice: InvoiceSnapshot;
}

/** Its answer. */
export type RenderReply = { id: number; pdf: Uint8Array } | { id: number; error: string };

const port = parentPort;
if (!port) throw new Error('render-thread.ts runs as a worker thread');
// Parse the fonts now, not in the first render.
invoiceFonts();

port.on('message', (request: RenderRequest) => {
  renderInvoicePdf(request.invoice).then(
    (pdf) => {
      // Transfer an ArrayBuffer holding exactly the PDF (a pooled Buffer would share its memory).
      const bytes = pdf.byteOffset === 0 && pdf.byteLength === pdf.buffer.byteLength ? pdf : Buffer.from(pdf);
      const view = new Uint8Array(bytes.buffer as ArrayBuffer, 0, bytes.byteLength);
      port.postMessage({ id: request.id, pdf: view } satisfies RenderReply, [view.buffer]);
    },
    (error: unknown) => {
      port.postMessage({
        id: request.id,
        error: String((error as Error)?.message ?? error),
      } satisfies RenderReply);
    },
  );
});

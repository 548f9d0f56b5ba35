import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { newId } from '@invoice/contracts';
import { waitFor } from '@invoice/platform-testing';
import { renderInvoicePdf } from '../../src/render/invoice-pdf.ts';
import { startDocumentKit, type DocumentKit } from '../support/document-kit.ts';
import { documentWithStatus } from '../support/documents.ts';
import { invoiceSnapshot } from '../support/invoice-snapshot.ts';

describe('issued invoices rendered on render threads (RENDER_THREADS=2)', () => {
  let kit: DocumentKit;

  before(async () => {
    kit = await startDocumentKit({ RENDER_THREADS: '2', RENDER_CONCURRENCY: '4' });
    await kit.startWorkers();
  });
  after(() => kit.close());

  it('stores the same PDF as the event-loop renderer, for every invoice', async () => {
    const orgId = newId();
    const invoices = Array.from({ length: 6 }, (_, i) => invoiceSnapshot({ lineCount: 1 + 4 * i }));
    for (const invoice of invoices) await kit.publishIssued(orgId, invoice);
    for (const invoice of invoices) {
      const ready = await waitFor(() => documentWithStatus(kit.deps, invoice.id, 'ready'), {
        what: `invoice ${invoice.id} ready`,
      });
      const stored = await kit.deps.storage.get(ready.s3Key);
      assert.ok(stored.equals(await renderInvoicePdf(invoice)), 'byte-identical to an inline render');
      assert.equal(createHash('sha256').update(stored).digest('hex'), ready.sha256);
    }
  });
});

import assert from 'node:assert/strict';
import type { Worker } from 'node:worker_threads';
import { after, before, describe, it } from 'node:test';
import { renderInvoicePdf } from '../../src/render/invoice-pdf.ts';
import { RenderFailure, RenderThreadCrash, RenderThreads } from '../../src/render/render-threads.ts';
import { invoiceSnapshot } from '../support/invoice-snapshot.ts';

/** The pool's threads (internal), to kill one the way a crash would. */
function workersOf(pool: RenderThreads): Worker[] {
  return [...(pool as unknown as { threads: Set<{ worker: Worker }> }).threads].map((t) => t.worker);
}

describe('render threads', () => {
  let pool: RenderThreads;

  before(() => {
    pool = new RenderThreads(2);
  });
  after(() => pool.close());

  it('render the same bytes as the renderer on the event loop', async () => {
    const invoice = invoiceSnapshot({ lineCount: 20 });
    const [threaded, inline] = await Promise.all([pool.render(invoice), renderInvoicePdf(invoice)]);
    assert.ok(Buffer.isBuffer(threaded));
    assert.ok(threaded.equals(inline), 'byte-identical');
  });

  it('take more renders than threads, each answered with its own PDF', async () => {
    const invoices = Array.from({ length: 7 }, (_, i) =>
      invoiceSnapshot({ lineCount: 1 + i, number: `INV-${i}` }),
    );
    const pdfs = await Promise.all(invoices.map((invoice) => pool.render(invoice)));
    const expected = await Promise.all(invoices.map((invoice) => renderInvoicePdf(invoice)));
    pdfs.forEach((pdf, i) => assert.ok(pdf.equals(expected[i]!), `PDF ${i} belongs to invoice ${i}`));
    assert.equal(pool.pending, 0);
  });

  it('reject a snapshot the renderer cannot print with RenderFailure and its reason', async () => {
    const invoice = { ...invoiceSnapshot({ lineCount: 1 }), issuedAt: 'not a timestamp' };
    await assert.rejects(pool.render(invoice), (error: unknown) => {
      assert.ok(error instanceof RenderFailure);
      assert.match(error.message, /issuedAt is not a timestamp/);
      return true;
    });
  });

  it('reject the render of a thread that dies with RenderThreadCrash, and replace the thread', async () => {
    // Long enough to be in progress when the thread is killed.
    const rendering = pool.render(invoiceSnapshot({ lineCount: 3_000 }));
    const outcome = rendering.then(
      () => 'rendered',
      (error: unknown) => error,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await Promise.all(workersOf(pool).map((worker) => worker.terminate()));
    const error = await outcome;
    assert.ok(error instanceof RenderThreadCrash, `got ${String(error)}`);
    const pdf = await pool.render(invoiceSnapshot({ lineCount: 2 }));
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-', 'the pool renders again with new threads');
  });

  it('reject renders once closed', async () => {
    const closing = new RenderThreads(1);
    await closing.close();
    await assert.rejects(closing.render(invoiceSnapshot({ lineCount: 1 })), RenderThreadCrash);
  });
});

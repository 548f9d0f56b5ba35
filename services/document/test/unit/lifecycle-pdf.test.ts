import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractText, getDocumentProxy } from 'unpdf';
import { renderInvoicePdf } from '../../src/render/invoice-pdf.ts';
import { invoiceSnapshot } from '../support/invoice-snapshot.ts';

async function textOf(pdf: Buffer): Promise<string> {
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: true });
  return text;
}

describe('lifecycle documents', () => {
  it('stamps a void invoice VOID on every page and drops the payment request', async () => {
    const text = await textOf(await renderInvoicePdf(invoiceSnapshot({ lineCount: 60, status: 'void' })));
    assert.ok((text.match(/VOID/g) ?? []).length >= 2, 'VOID on each page');
    assert.doesNotMatch(text, /Please pay/);
  });

  it('titles a credit note as such and names the invoice it credits with its date', async () => {
    const note = {
      ...invoiceSnapshot({ lineCount: 2, type: 'credit_note', number: 'CN-2026-000001' }),
      creditedInvoice: {
        id: '00000000-0000-4000-8000-000000000001',
        number: 'INV-2026-0042',
        issueDate: '2026-11-25',
      },
    };
    const text = await textOf(await renderInvoicePdf(note));
    for (const expected of [
      'Credit note',
      'CN-2026-000001',
      'Credits invoice',
      'INV-2026-0042',
      'Invoice date',
      'Amount credited',
    ]) {
      assert.ok(text.includes(expected), `text contains ${expected}`);
    }
    assert.doesNotMatch(text, /Please pay|Due date|VOID|DRAFT/);
  });

  it('titles a quote as such with its validity, and asks for no payment', async () => {
    const quote = {
      ...invoiceSnapshot({ lineCount: 2, type: 'quote', number: 'QUO-2026-000007' }),
      validUntil: '2026-12-31',
    };
    delete quote.dueDate;
    const text = await textOf(await renderInvoicePdf(quote));
    for (const expected of ['Quote', 'QUO-2026-000007', 'Quote date', 'Valid until', '2026-12-31', 'Total']) {
      assert.ok(text.includes(expected), `text contains ${expected}`);
    }
    assert.doesNotMatch(text, /Please pay|Due date|Amount due|Invoice|VOID|DRAFT/);
  });

  it('stamps nothing on an issued invoice', async () => {
    const text = await textOf(await renderInvoicePdf(invoiceSnapshot({ lineCount: 2 })));
    assert.doesNotMatch(text, /VOID|DRAFT/);
  });
});

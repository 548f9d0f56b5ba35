import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractText, getDocumentProxy } from 'unpdf';
import { renderInvoicePdf } from '../../src/render/invoice-pdf.ts';
import { invoiceSnapshot } from '../support/invoice-snapshot.ts';

async function pagesOf(pdf: Buffer): Promise<string[]> {
  const proxy = await getDocumentProxy(new Uint8Array(pdf));
  const { text } = await extractText(proxy, { mergePages: false });
  return text;
}

describe('invoice PDF', () => {
  it('is a PDF whose extractable text has the number, the buyer and the gross total', async () => {
    const pdf = await renderInvoicePdf(invoiceSnapshot({ lineCount: 20 }));
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const pages = await pagesOf(pdf);
    assert.equal(pages.length, 1, 'a 20-line invoice fits one A4 page');
    const text = pages.join('\n');
    for (const expected of [
      'Invoice',
      'INV-2026-0042',
      'Globex Corporation',
      '1,190.00 EUR',
      'Page 1 of 1',
    ]) {
      assert.ok(text.includes(expected), `text contains ${expected}`);
    }
  });

  it('shows dates, both parties with tax ids and the seller bank account', async () => {
    const text = (await pagesOf(await renderInvoicePdf(invoiceSnapshot()))).join('\n');
    for (const expected of [
      '2026-11-25',
      '2026-12-09',
      'Acme Consulting GmbH',
      'Hauptstraße 1',
      '10115 Berlin',
      'Germany',
      'Tax ID: DE123456789',
      'Tax ID: FR40303265045',
      'billing@acme.example',
      'IBAN: DE89370400440532013000',
      'BIC: COBADEFFXXX',
      'Thank you for your business.',
    ]) {
      assert.ok(text.includes(expected), `text contains ${expected}`);
    }
  });

  it('prints each line with quantity and unit, unit price, VAT rate and net', async () => {
    const text = (await pagesOf(await renderInvoicePdf(invoiceSnapshot({ lineCount: 3 })))).join('\n');
    assert.match(text, /3 Consulting work package 3 2 h 25\.00 19% 50\.00/);
  });

  it("prints a line's item attributes under its description, one name: value per row", async () => {
    const invoice = invoiceSnapshot({ lineCount: 2 });
    invoice.lines[0] = {
      ...invoice.lines[0]!,
      attributes: [
        { name: 'Colour', value: 'white' },
        { name: 'Litres', value: '2.5' },
      ],
    };
    const text = (await pagesOf(await renderInvoicePdf(invoice))).join('\n');
    assert.match(text, /Consulting work package 1\s+Colour: white\s+Litres: 2\.5/);
    assert.doesNotMatch(text, /Consulting work package 2\s+Colour/, 'the other line has none');
  });

  it('breaks a 60-line table across pages, repeating its header and numbering the pages', async () => {
    const pages = await pagesOf(await renderInvoicePdf(invoiceSnapshot({ lineCount: 60 })));
    assert.ok(pages.length >= 2, `spans ${pages.length} pages`);
    const withRows = pages.filter((page) => /Consulting work package/.test(page));
    assert.ok(withRows.length >= 2, 'rows on more than one page');
    for (const page of withRows)
      assert.match(page, /# Description Qty Unit price VAT Net/, 'header repeated');
    pages.forEach((page, i) => assert.ok(page.includes(`Page ${i + 1} of ${pages.length}`)));
    const all = pages.join('\n');
    for (let line = 1; line <= 60; line += 1) {
      assert.ok(all.includes(`Consulting work package ${line} `), `line ${line} printed`);
    }
    assert.ok(all.includes('3,570.00 EUR'), 'the totals follow the last line');
  });

  it('lists each VAT group with its base, and prepaid and rounding only when not zero', async () => {
    const base = invoiceSnapshot({ lineCount: 1 });
    const plain = (await pagesOf(await renderInvoicePdf(base))).join('\n');
    assert.ok(!plain.includes('Paid in advance') && !plain.includes('Rounding'));

    const invoice = invoiceSnapshot({
      lineCount: 1,
      vatBreakdown: [
        { category: 'S', rate: '19.00', taxable: '1000.00', tax: '190.00' },
        { category: 'S', rate: '7.00', taxable: '200.00', tax: '14.00' },
        {
          category: 'E',
          rate: '0.00',
          taxable: '50.00',
          tax: '0.00',
          exemptionReason: 'Exempt under §4 UStG',
        },
      ],
      totals: {
        ...base.totals,
        prepaid: '100.00',
        rounding: '0.01',
        due: '1354.01',
      },
    });
    const text = (await pagesOf(await renderInvoicePdf(invoice))).join('\n');
    for (const expected of [
      'VAT 19% on 1,000.00',
      'VAT 7% on 200.00',
      'VAT 0% (exempt) on 50.00',
      'Exempt under §4 UStG',
      'VAT total',
      'Paid in advance',
      'Rounding',
      '0.01',
      'Amount due',
      '1,354.01 EUR',
    ]) {
      assert.ok(text.includes(expected), `text contains ${expected}`);
    }
  });

  it('is byte-identical when rendered again, with metadata from the invoice', async () => {
    const invoice = invoiceSnapshot();
    const [first, second] = [await renderInvoicePdf(invoice), await renderInvoicePdf(invoice)];
    assert.ok(first.equals(second), 'same bytes');
    const proxy = await getDocumentProxy(new Uint8Array(first));
    const { info } = (await proxy.getMetadata()) as unknown as { info: Record<string, string> };
    assert.equal(info.Title, 'INV-2026-0042');
    assert.equal(info.Author, 'Acme Consulting');
    assert.match(info.CreationDate ?? '', /^D:20261125100000Z/);
  });

  it('renders the same bytes whatever other documents rendered before it (shared word layouts)', async () => {
    const invoice = invoiceSnapshot({ lineCount: 3, notes: 'Zahlbar ohne Abzug — merci beaucoup' });
    const first = await renderInvoicePdf(invoice);
    // Other invoices with other words (and many of the same) fill the shared layout cache.
    for (let i = 0; i < 5; i += 1)
      await renderInvoicePdf(
        invoiceSnapshot({ lineCount: 10 + i, notes: `Other words ${i} Straße Ærø 東京` }),
      );
    assert.ok((await renderInvoicePdf(invoice)).equals(first), 'same bytes');
  });

  it('draws non-Latin text and user text as text, never as markup', async () => {
    const invoice = invoiceSnapshot({
      lineCount: 1,
      buyer: { name: 'Łódź Ærø Ψ <script>alert(1)</script>' },
    });
    const text = (await pagesOf(await renderInvoicePdf(invoice))).join('\n');
    // The name wraps in its column; compare without the line breaks.
    const compact = (value: string) => value.replace(/\s+/g, '');
    assert.ok(compact(text).includes(compact('Łódź Ærø Ψ <script>alert(1)</script>')));
  });

  it('keeps an absurdly long description inside the page', async () => {
    const invoice = invoiceSnapshot({ lineCount: 2 });
    invoice.lines[0] = { ...invoice.lines[0]!, description: 'very long text '.repeat(2000) };
    const pages = await pagesOf(await renderInvoicePdf(invoice));
    assert.ok(pages.join('\n').includes('Consulting work package 2'));
    assert.ok(pages.length <= 3, `${pages.length} pages`);
  });

  it('rejects a snapshot whose amounts are not decimal strings', async () => {
    const invoice = invoiceSnapshot({ lineCount: 1 });
    invoice.lines[0] = { ...invoice.lines[0]!, net: '1e3' };
    await assert.rejects(renderInvoicePdf(invoice), /not a decimal string/);
  });
});

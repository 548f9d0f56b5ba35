import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { extractText, getDocumentProxy } from 'unpdf';
import { Subjects, newId, type CreditNoteIssued, type InvoiceVoided } from '@invoice/contracts';
import { waitFor } from '@invoice/platform-testing';
import { startDocumentKit, type DocumentKit } from '../support/document-kit.ts';
import { documentsOf } from '../support/documents.ts';
import { invoiceSnapshot } from '../support/invoice-snapshot.ts';

describe('voided invoice and credit note → PDFs', () => {
  let kit: DocumentKit;

  before(async () => {
    kit = await startDocumentKit();
    await kit.startWorkers();
  });
  after(() => kit.close());

  it('renders the voided version as the newest document, stamped VOID, and keeps the issued one', async () => {
    const orgId = newId();
    const invoice = invoiceSnapshot({ lineCount: 2 });
    await kit.publishIssued(orgId, invoice);
    const voided = { ...invoice, status: 'void', version: 2 };
    const publishVoided = () =>
      kit.publish<InvoiceVoided>({
        type: Subjects.InvoiceVoided,
        source: 'invoicing',
        orgId,
        subject: invoice.id,
        data: { invoice: voided, reason: 'wrong client', voidedAt: new Date().toISOString() },
      });
    await publishVoided();
    // A second event for the same version (a replayed publish) adds no document.
    await publishVoided();

    const rows = await waitFor(
      async () => {
        const all = await documentsOf(kit.deps, invoice.id);
        return all.length === 2 && all.every((row) => row.status === 'ready') ? all : undefined;
      },
      { what: 'two ready document versions' },
    );
    assert.deepEqual(
      rows.map((row) => row.version),
      [2, 1],
    );
    const text = async (key: string) => {
      const bytes = await kit.deps.storage.get(key);
      return (await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true })).text;
    };
    const [newest, original] = rows;
    assert.ok(newest && original);
    assert.match(await text(newest.s3Key), /VOID/);
    assert.doesNotMatch(await text(original.s3Key), /VOID/);
    assert.match(newest.s3Key, /\/2\.pdf$/);
  });

  it('renders a credit note under its own key, titled as a credit note of the invoice', async () => {
    const orgId = newId();
    const invoice = invoiceSnapshot({ lineCount: 2 });
    const creditedInvoice = { id: invoice.id, number: invoice.number, issueDate: invoice.issueDate };
    const creditNote = {
      ...invoiceSnapshot({ lineCount: 1, number: 'CN-2026-000007' }),
      type: 'credit_note' as const,
      creditedInvoice,
    };
    await kit.publish<CreditNoteIssued>({
      type: Subjects.CreditNoteIssued,
      source: 'invoicing',
      orgId,
      subject: creditNote.id,
      data: {
        creditNote,
        creditedInvoice,
        invoice: {
          invoiceId: invoice.id,
          number: invoice.number,
          status: 'partially_paid',
          currency: 'EUR',
          gross: '119.00',
          paid: '0.00',
          credited: '59.50',
          due: '59.50',
        },
      },
    });
    const [row] = await waitFor(
      async () => {
        const all = await documentsOf(kit.deps, creditNote.id);
        return all[0]?.status === 'ready' ? all : undefined;
      },
      { what: 'a ready credit note document' },
    );
    assert.ok(row);
    assert.equal(row.sourceType, 'credit_note');
    assert.equal(row.s3Key, `orgs/${orgId}/credit-notes/${creditNote.id}/1.pdf`);
    const bytes = await kit.deps.storage.get(row.s3Key);
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true });
    assert.match(text, /Credit note/);
    assert.match(text, new RegExp(`Credits invoice\\s*${invoice.number}`));
    const download = await kit.app.inject({
      method: 'GET',
      url: `/v1/credit-notes/${creditNote.id}/pdf`,
      headers: { authorization: `Bearer ${await kit.token(orgId)}` },
    });
    assert.equal(download.statusCode, 302, download.body);
  });
});

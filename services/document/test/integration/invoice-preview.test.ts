import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { extractText, getDocumentProxy } from 'unpdf';
import { AppError, RpcSubjects, newId, type Problem } from '@invoice/contracts';
import { startDocumentKit, type DocumentKit } from '../support/document-kit.ts';
import { documentsOf } from '../support/documents.ts';
import { invoiceSnapshot } from '../support/invoice-snapshot.ts';

describe('draft preview PDF', () => {
  let kit: DocumentKit;
  const drafts = new Map<string, ReturnType<typeof invoiceSnapshot>>();

  before(async () => {
    kit = await startDocumentKit();
    // Stands in for invoicing's responder on this test's namespace.
    kit.deps.bus.respond(RpcSubjects.InvoicingInvoicePreview, async ({ invoiceId }) => {
      const draft = drafts.get(invoiceId);
      if (draft === undefined) return { invoice: null };
      if (draft.status !== 'draft') throw new AppError('INVOICE_NOT_DRAFT', { detail: 'issued' });
      return { invoice: draft };
    });
  });
  after(() => kit.close());

  const preview = async (id: string, orgId = newId()) =>
    kit.app.inject({
      method: 'GET',
      url: `/v1/invoices/${id}/preview.pdf`,
      headers: { authorization: `Bearer ${await kit.token(orgId)}` },
    });

  it('renders the draft at once, watermarked DRAFT, and stores nothing', async () => {
    const draft = invoiceSnapshot({ lineCount: 3, status: 'draft', number: 'DRAFT' });
    drafts.set(draft.id, draft);
    const orgId = newId();
    const response = await preview(draft.id, orgId);
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.headers['content-type'], 'application/pdf');
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(response.rawPayload)), {
      mergePages: true,
    });
    assert.match(text, /DRAFT/);
    assert.match(text, /Globex Corporation/);
    assert.equal((await documentsOf(kit.deps, draft.id)).length, 0, 'no document row');
    await assert.rejects(kit.deps.storage.get(`orgs/${orgId}/invoices/${draft.id}/1.pdf`), 'no S3 object');
  });

  it('answers 404 for an unknown invoice and 409 INVOICE_NOT_DRAFT for an issued one', async () => {
    assert.equal((await preview(newId())).statusCode, 404);
    const issued = invoiceSnapshot({ lineCount: 1 });
    drafts.set(issued.id, issued);
    const response = await preview(issued.id);
    assert.equal(response.statusCode, 409);
    assert.equal(response.json<Problem>().code, 'INVOICE_NOT_DRAFT');
  });
});

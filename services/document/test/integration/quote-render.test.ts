/**
 * `invoicing.quote.sent.v1` → the quote PDF in S3, titled "Quote" with its validity, under the
 * tenant's quotes folder; a redelivery or a second send of the same quote renders nothing new.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { extractText, getDocumentProxy } from 'unpdf';
import { Subjects, newId, type QuoteSent } from '@invoice/contracts';
import { silentLogger, waitFor } from '@invoice/platform-testing';
import { quoteSentConsumer } from '../../src/events/quote-sent.consumer.ts';
import { startDocumentKit, type DocumentKit } from '../support/document-kit.ts';
import { documentWithStatus, documentsOf } from '../support/documents.ts';
import { invoiceSnapshot } from '../support/invoice-snapshot.ts';

function quoteSent(): QuoteSent {
  const snapshot = invoiceSnapshot({
    lineCount: 2,
    type: 'quote',
    number: 'QUO-2026-000003',
    status: 'sent',
  });
  delete snapshot.dueDate;
  const quote = { ...snapshot, validUntil: '2026-12-31' };
  return {
    requestId: newId(),
    quote,
    number: quote.number,
    validUntil: quote.validUntil,
    to: ['buyer@globex.example'],
    sellerName: quote.seller.name,
    buyerName: quote.buyer.name,
    gross: quote.totals.gross,
    currency: quote.currency,
  };
}

describe('sent quote → PDF in S3', () => {
  let kit: DocumentKit;

  before(async () => {
    kit = await startDocumentKit();
    await kit.startWorkers();
  });
  after(() => kit.close());

  it('renders a sent quote titled Quote with its validity under the tenant’s quotes key, once', async () => {
    const orgId = newId();
    const data = quoteSent();
    const publish = () =>
      kit.publish<QuoteSent>({
        type: Subjects.QuoteSent,
        source: 'invoicing',
        orgId,
        subject: data.quote.id,
        data,
      });
    const envelope = await publish();
    const ready = await waitFor(() => documentWithStatus(kit.deps, data.quote.id, 'ready'), {
      what: 'a ready quote document',
    });
    assert.equal(ready.sourceType, 'quote');
    assert.equal(ready.number, 'QUO-2026-000003');
    assert.equal(ready.s3Key, `orgs/${orgId}/quotes/${data.quote.id}/1.pdf`);
    const stored = await kit.deps.storage.get(ready.s3Key);
    assert.equal(createHash('sha256').update(stored).digest('hex'), ready.sha256);
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(stored)), { mergePages: true });
    for (const expected of ['Quote', 'QUO-2026-000003', 'Valid until', '2026-12-31']) {
      assert.ok(text.includes(expected), `the PDF shows ${expected}`);
    }
    assert.doesNotMatch(text, /Due date|Please pay/);

    // A redelivery of the same message, and the quote sent again (another event, same version).
    await quoteSentConsumer(kit.deps).handle(envelope, { logger: silentLogger(), deliveryCount: 2 });
    await publish();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const documents = await documentsOf(kit.deps, data.quote.id);
    assert.equal(documents.length, 1);
    assert.equal(documents[0]?.attempts, 1);
  });
});

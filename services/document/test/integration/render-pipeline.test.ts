import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { extractText, getDocumentProxy } from 'unpdf';
import { Subjects, newId, validateEvent } from '@invoice/contracts';
import { silentLogger, waitFor } from '@invoice/platform-testing';
import { invoiceIssuedConsumer } from '../../src/events/invoice-issued.consumer.ts';
import { startDocumentKit, type DocumentKit } from '../support/document-kit.ts';
import { documentWithStatus, documentsOf } from '../support/documents.ts';
import { invoiceSnapshot } from '../support/invoice-snapshot.ts';

describe('issued invoice → PDF in S3', () => {
  let kit: DocumentKit;

  before(async () => {
    kit = await startDocumentKit();
    await kit.startWorkers();
  });
  after(() => kit.close());

  it('renders an issued invoice, stores it under the tenant key and publishes document.rendered', async () => {
    const orgId = newId();
    const invoice = invoiceSnapshot({ lineCount: 20 });
    await kit.publishIssued(orgId, invoice);

    const ready = await waitFor(() => documentWithStatus(kit.deps, invoice.id, 'ready'), {
      what: 'a ready document',
    });
    assert.equal(ready.orgId, orgId);
    assert.equal(ready.sourceType, 'invoice');
    assert.equal(ready.number, 'INV-2026-0042');
    assert.equal(ready.version, 1);
    assert.equal(ready.s3Key, `orgs/${orgId}/invoices/${invoice.id}/1.pdf`);
    assert.equal(ready.attempts, 1);

    const stored = await kit.deps.storage.get(ready.s3Key);
    assert.equal(createHash('sha256').update(stored).digest('hex'), ready.sha256);
    assert.equal(stored.length, ready.size);
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(stored)), { mergePages: true });
    assert.ok(
      text.includes('INV-2026-0042') && text.includes('Globex Corporation') && text.includes('1,190.00'),
    );

    const [event] = await waitFor(
      async () => {
        const events = await kit.events(Subjects.DocumentRendered);
        const mine = events.filter((e) => e.data.sourceId === invoice.id);
        return mine.length > 0 ? mine : undefined;
      },
      { what: 'document.rendered on the stream' },
    );
    assert.ok(event);
    assert.deepEqual(validateEvent(Subjects.DocumentRendered, event), [], 'the event keeps its contract');
    assert.equal(event.orgid, orgId);
    assert.equal(event.subject, ready.id);
    assert.deepEqual(event.data, {
      documentId: ready.id,
      sourceType: 'invoice',
      sourceId: invoice.id,
      number: 'INV-2026-0042',
      version: 1,
      bucket: kit.s3.options.bucket,
      key: ready.s3Key,
      sha256: ready.sha256,
      size: ready.size,
      contentType: 'application/pdf',
    });
  });

  it('creates no second document when the issued event is delivered again', async () => {
    const orgId = newId();
    const invoice = invoiceSnapshot({ lineCount: 2 });
    const envelope = await kit.publishIssued(orgId, invoice);
    const ready = await waitFor(() => documentWithStatus(kit.deps, invoice.id, 'ready'), {
      what: 'a ready document',
    });

    // A redelivery of the same message (JetStream redelivers after a lost ack).
    const consumer = invoiceIssuedConsumer(kit.deps);
    await consumer.handle(envelope, { logger: silentLogger(), deliveryCount: 2 });
    // The same invoice version published again under a new event id.
    await kit.publishIssued(orgId, invoice);
    await new Promise((resolve) => setTimeout(resolve, 500));

    const rows = await documentsOf(kit.deps, invoice.id);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.id, ready.id);
    assert.equal(rows[0]?.sha256, ready.sha256);
    const rendered = (await kit.events(Subjects.DocumentRendered)).filter(
      (e) => e.data.sourceId === invoice.id,
    );
    assert.equal(rendered.length, 1, 'rendered once, announced once');
  });

  it('renders a new version of the same invoice as its own document', async () => {
    const orgId = newId();
    const invoice = invoiceSnapshot({ lineCount: 1 });
    await kit.publishIssued(orgId, invoice);
    await kit.publishIssued(orgId, { ...invoice, version: 2, notes: 'Corrected address' });
    const rows = await waitFor(
      async () => {
        const all = await documentsOf(kit.deps, invoice.id);
        return all.length === 2 && all.every((row) => row.status === 'ready') ? all : undefined;
      },
      { what: 'two ready versions' },
    );
    assert.deepEqual(
      rows.map((row) => row.s3Key),
      [`orgs/${orgId}/invoices/${invoice.id}/2.pdf`, `orgs/${orgId}/invoices/${invoice.id}/1.pdf`],
    );
    assert.notEqual(rows[0]?.sha256, rows[1]?.sha256);
  });

  it('publishes events that pass the full envelope contract, type pattern included', async () => {
    // One per render above: two single versions, then versions 1 and 2 of the same invoice.
    const events = await waitFor(
      async () => {
        const all = await kit.events(Subjects.DocumentRendered);
        return all.length >= 4 ? all : undefined;
      },
      { what: 'the four document.rendered events' },
    );
    for (const event of events) {
      assert.equal(event.type, 'document.rendered.v1');
      assert.deepEqual(validateEvent(Subjects.DocumentRendered, event), []);
    }
  });
});

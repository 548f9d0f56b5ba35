import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  createEnvelope,
  newId,
  Subjects,
  type EmailFailed,
  type InvoiceSendRequested,
} from '@invoice/contracts';
import { PermanentError } from '@invoice/platform-bus';
import { silentLogger, waitFor } from '@invoice/platform-testing';
import { documentRenderedConsumer } from '../../src/events/document-rendered.consumer.ts';
import { invoiceSendRequestedConsumer } from '../../src/events/invoice-send-requested.consumer.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { pdfBytes, renderedDocument, sendRequest } from '../support/fixtures.ts';

describe('invoice emails: waiting for the PDF, attaching it', () => {
  let h: Harness;

  before(async () => {
    h = await startHarness();
  });

  after(async () => {
    await h?.close();
  });

  /** The `document.rendered.v1` payload of the request's invoice PDF, under the document service's key. */
  function renderedFor(orgId: string, request: InvoiceSendRequested, bytes: Buffer) {
    return renderedDocument({
      invoiceId: request.invoiceId,
      number: request.number,
      bucket: h.storage.bucket,
      key: `orgs/${orgId}/invoices/${request.invoiceId}/1.pdf`,
      bytes,
    });
  }

  /** Stores a PDF of the request's invoice as the document service would; returns its bytes and event. */
  async function storePdf(orgId: string, request: InvoiceSendRequested) {
    const bytes = pdfBytes();
    const rendered = renderedFor(orgId, request, bytes);
    await h.storage.put(rendered.key, bytes, 'application/pdf');
    return { bytes, rendered };
  }

  it('holds an invoice email until its PDF is rendered, then sends it with the PDF attached', async () => {
    const orgId = newId();
    const request = sendRequest();
    await h.publishSendRequest(orgId, request);
    const [waiting] = await waitFor(async () => {
      const found = await h.rowsOfInvoice(request.invoiceId);
      return found.length > 0 ? found : undefined;
    });
    assert.equal(waiting?.status, 'waiting_for_document');
    // A reconciler pass had its chance to queue it: without a document there is still no job.
    await h.reconciler.runOnce();
    assert.equal((await h.rowsOfInvoice(request.invoiceId))[0]?.status, 'waiting_for_document');
    assert.equal(await h.deps.queue.getJob(waiting!.id), undefined);
    assert.equal(h.mailsTo(request.to[0]!).length, 0);

    const { bytes, rendered } = await storePdf(orgId, request);
    await h.publishRendered(orgId, rendered);

    const mail = await h.smtp.waitForMail((m) => m.envelopeTo.includes(request.to[0]!));
    assert.deepEqual([...mail.envelopeTo].sort(), [...request.to].sort());
    assert.equal(mail.parsed.subject, `Invoice ${request.number} from Acme GmbH`);
    const [attachment] = mail.parsed.attachments;
    assert.equal(attachment?.filename, `${request.number}.pdf`);
    assert.equal(attachment?.contentType, 'application/pdf');
    assert.ok(attachment?.content.equals(bytes), 'the attachment is the stored PDF, byte for byte');
    await h.rowReaching('sent', () => h.rowsOfInvoice(request.invoiceId));
  });

  it('sends at once when the PDF was rendered before the send request', async () => {
    const orgId = newId();
    const request = sendRequest();
    const { bytes, rendered } = await storePdf(orgId, request);
    await h.publishRendered(orgId, rendered);
    await waitFor(async () => {
      const known = await h.deps.orm.em
        .fork()
        .execute('select 1 from notification.documents where source_id = ?', [request.invoiceId]);
      return known.length > 0;
    });
    await h.publishSendRequest(orgId, request);

    const mail = await h.smtp.waitForMail((m) => m.envelopeTo.includes(request.to[0]!));
    assert.ok(mail.parsed.attachments[0]?.content.equals(bytes));
    const row = await h.rowReaching('sent', () => h.rowsOfInvoice(request.invoiceId));
    assert.equal(row.attempts, 1);
  });

  it('queues and sends a waiting email whose document is known, through the reconciler', async () => {
    const orgId = newId();
    const request = sendRequest();
    await h.publishSendRequest(orgId, request);
    const waiting = await h.rowReaching('waiting_for_document', () => h.rowsOfInvoice(request.invoiceId));
    // The document became known without its waiting emails being queued (the backstop's case).
    const { bytes, rendered } = await storePdf(orgId, request);
    await h.deps.orm.em.fork().execute(
      `insert into notification.documents (source_id, version, org_id, bucket, key, sha256, number)
       values (?, ?, ?, ?, ?, ?, ?)`,
      [
        rendered.sourceId,
        rendered.version,
        orgId,
        rendered.bucket,
        rendered.key,
        rendered.sha256,
        rendered.number,
      ],
    );

    assert.ok((await h.reconciler.runOnce()) >= 1);
    const mail = await h.smtp.waitForMail((m) => m.envelopeTo.includes(request.to[0]!));
    assert.ok(mail.parsed.attachments[0]?.content.equals(bytes));
    await h.rowReaching('sent', () => h.rows('id = ?', [waiting.id]));
  });

  it('fails a waiting invoice email when its document cannot be rendered', async () => {
    const orgId = newId();
    const request = sendRequest();
    await h.publishSendRequest(orgId, request);
    await h.rowReaching('waiting_for_document', () => h.rowsOfInvoice(request.invoiceId));

    await h.publish({
      type: Subjects.DocumentRenderFailed,
      orgId,
      subject: request.invoiceId,
      data: {
        documentId: newId(),
        sourceType: 'invoice',
        sourceId: request.invoiceId,
        version: 1,
        reason: 'font missing',
      },
    });

    const row = await h.rowReaching('failed', () => h.rowsOfInvoice(request.invoiceId));
    assert.match(row.last_error ?? '', /font missing/);
    const [failed] = await h.eventsAbout<EmailFailed>(Subjects.EmailFailed, row.id);
    assert.equal(failed?.data.invoiceId, request.invoiceId);
  });

  it('never strands an email when the send request and the rendered PDF arrive at the same moment', async () => {
    const orgId = newId();
    const context = { logger: silentLogger(), deliveryCount: 1 };
    const requests = Array.from({ length: 8 }, () => sendRequest());
    await Promise.all(
      requests.flatMap((request) => {
        const rendered = renderedFor(orgId, request, pdfBytes());
        const envelope = <T>(type: string, data: T) =>
          createEnvelope({ type, source: 'test', orgId, subject: request.invoiceId, data });
        return [
          invoiceSendRequestedConsumer(h.deps).handle(
            envelope(Subjects.InvoiceSendRequested, request),
            context,
          ),
          documentRenderedConsumer(h.deps).handle(envelope(Subjects.DocumentRendered, rendered), context),
        ];
      }),
    );
    const statuses = await h.rows(
      `invoice_id in (${requests.map(() => '?').join(',')})`,
      requests.map((r) => r.invoiceId),
    );
    assert.equal(statuses.length, requests.length);
    assert.ok(
      statuses.every((row) => row.status !== 'waiting_for_document'),
      'no email waits for a known document',
    );
  });

  it('terminates a forged document.rendered naming another bucket or a key outside the organization, reading nothing and sending nothing', async () => {
    const orgId = newId();
    const victim = newId();
    const request = sendRequest();
    await h.publishSendRequest(orgId, request);
    await waitFor(async () => (await h.rowsOfInvoice(request.invoiceId)).length > 0);
    // A real PDF of another organization, which the forged event points at.
    const victimKey = `orgs/${victim}/invoices/${request.invoiceId}/1.pdf`;
    await h.storage.put(victimKey, pdfBytes(), 'application/pdf');
    const outside = { ...renderedFor(orgId, request, pdfBytes()), key: victimKey };
    const otherBucket = { ...renderedFor(orgId, request, pdfBytes()), bucket: 'attacker-bucket' };
    const context = { logger: silentLogger(), deliveryCount: 1 };
    for (const forged of [outside, otherBucket]) {
      const envelope = createEnvelope({
        type: Subjects.DocumentRendered,
        source: 'test',
        orgId,
        subject: request.invoiceId,
        data: forged,
      });
      await assert.rejects(documentRenderedConsumer(h.deps).handle(envelope, context), PermanentError);
      await h.publishRendered(orgId, forged); // and through the bus, as a forger would
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await h.reconciler.runOnce();
    const [row] = await h.rowsOfInvoice(request.invoiceId);
    assert.equal(row?.status, 'waiting_for_document', 'the email still waits for its own document');
    assert.equal(h.mailsTo(request.to[0]!).length, 0, 'no email went out');
  });
});

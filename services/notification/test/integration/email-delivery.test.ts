import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createEnvelope, newId, Subjects, type EmailDelivered, type EmailFailed } from '@invoice/contracts';
import { silentLogger, waitFor } from '@invoice/platform-testing';
import { documentRenderedConsumer } from '../../src/events/document-rendered.consumer.ts';
import { invoiceSendRequestedConsumer } from '../../src/events/invoice-send-requested.consumer.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { pdfBytes, renderedDocument, sendRequest, verificationRequest } from '../support/fixtures.ts';

interface Row {
  id: string;
  status: string;
  attempts: number;
  to: string[];
  last_error: string | null;
  provider_message_id: string | null;
  payload: Record<string, unknown>;
  sent_at: Date | null;
}

describe('email delivery', () => {
  let h: Harness;

  before(async () => {
    h = await startHarness();
  });

  after(async () => {
    await h?.stop();
  });

  const rows = (where: string, params: unknown[]) =>
    h.deps.orm.em.fork().execute<Row[]>(`select * from notification.emails where ${where}`, params);
  const rowsTo = (address: string) => rows(`? = any("to")`, [address]);
  const rowsOfInvoice = (invoiceId: string) => rows('invoice_id = ?', [invoiceId]);
  const mailsTo = (address: string) => h.sink.mails.filter((mail) => mail.envelopeTo.includes(address));
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  async function storePdf(invoiceId: string, orgId: string) {
    const bytes = pdfBytes();
    const key = `orgs/${orgId}/invoices/${invoiceId}/1.pdf`;
    await h.storage.put(key, bytes, 'application/pdf');
    return { bytes, key };
  }

  it('sends one verification email with the link and the name escaped in HTML', async () => {
    const orgId = newId();
    const data = verificationRequest({ name: '<script>alert("owned")</script> Ann' });
    await h.publish(Subjects.EmailVerificationRequested, orgId, data.userId, data);

    const mail = await h.sink.waitForMail((m) => m.envelopeTo.includes(data.email));
    const link = `http://127.0.0.1:8080/verify-email?token=${data.token}`;
    assert.equal(mail.parsed.subject, 'Confirm your email address');
    assert.ok(mail.parsed.text?.includes(link));
    const html = String(mail.parsed.html);
    assert.ok(!html.includes('<script>'), 'the name must not arrive as markup');
    assert.ok(html.includes('&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt; Ann'));
    assert.ok(html.includes(`href="${link}"`));

    const [row] = await waitFor(async () => {
      const found = await rowsTo(data.email);
      return found[0]?.status === 'sent' ? found : undefined;
    });
    assert.equal(row?.attempts, 1);
    assert.equal(mail.parsed.messageId, `<${row?.id}@invoice.local>`);
    assert.equal(row?.payload.link, undefined, 'the one-time link is dropped from the log once sent');
    const delivered = await waitFor(async () =>
      (await h.streamEvents<EmailDelivered>(Subjects.EmailDelivered)).find((e) => e.data.emailId === row?.id),
    );
    assert.equal(delivered.orgid, orgId);
    assert.deepEqual(delivered.data.to, [data.email]);
    assert.equal(mailsTo(data.email).length, 1);
  });

  it('sends once when the same event is delivered twice', async () => {
    const data = verificationRequest();
    const envelope = createEnvelope({
      type: Subjects.EmailVerificationRequested,
      source: 'auth',
      orgId: newId(),
      subject: data.userId,
      data,
    });
    // Two stream messages carrying the same event (a relay that republished after the duplicate window).
    const wire = h.deps.bus.subject(envelope.type);
    await h.deps.bus.js.publish(wire, JSON.stringify(envelope), { msgID: `${envelope.id}-a` });
    await h.deps.bus.js.publish(wire, JSON.stringify(envelope), { msgID: `${envelope.id}-b` });

    await h.sink.waitForMail((m) => m.envelopeTo.includes(data.email));
    await sleep(1_500);
    assert.equal(mailsTo(data.email).length, 1);
    assert.equal((await rowsTo(data.email)).length, 1);
  });

  it('holds an invoice email until its PDF is rendered, then sends it with the PDF attached', async () => {
    const orgId = newId();
    const request = sendRequest();
    await h.publish(Subjects.InvoiceSendRequested, orgId, request.invoiceId, request);
    const [waiting] = await waitFor(async () => {
      const found = await rowsOfInvoice(request.invoiceId);
      return found.length > 0 ? found : undefined;
    });
    assert.equal(waiting?.status, 'waiting_for_document');
    await sleep(300);
    assert.equal(mailsTo(request.to[0]!).length, 0);

    const { bytes, key } = await storePdf(request.invoiceId, orgId);
    await h.publish(
      Subjects.DocumentRendered,
      orgId,
      request.invoiceId,
      renderedDocument({
        invoiceId: request.invoiceId,
        number: request.number,
        bucket: h.storage.bucket,
        key,
        bytes,
      }),
    );

    const mail = await h.sink.waitForMail((m) => m.envelopeTo.includes(request.to[0]!));
    assert.deepEqual([...mail.envelopeTo].sort(), [...request.to].sort());
    assert.equal(mail.parsed.subject, `Invoice ${request.number} from Acme GmbH`);
    const [attachment] = mail.parsed.attachments;
    assert.equal(attachment?.filename, `${request.number}.pdf`);
    assert.equal(attachment?.contentType, 'application/pdf');
    assert.ok(attachment?.content.equals(bytes), 'the attachment is the stored PDF, byte for byte');
    await waitFor(async () => (await rowsOfInvoice(request.invoiceId))[0]?.status === 'sent');
  });

  it('sends at once when the PDF was rendered before the send request', async () => {
    const orgId = newId();
    const request = sendRequest();
    const { bytes, key } = await storePdf(request.invoiceId, orgId);
    await h.publish(
      Subjects.DocumentRendered,
      orgId,
      request.invoiceId,
      renderedDocument({
        invoiceId: request.invoiceId,
        number: request.number,
        bucket: h.storage.bucket,
        key,
        bytes,
      }),
    );
    await waitFor(async () => {
      const known = await h.deps.orm.em
        .fork()
        .execute('select 1 from notification.documents where source_id = ?', [request.invoiceId]);
      return known.length > 0;
    });
    await h.publish(Subjects.InvoiceSendRequested, orgId, request.invoiceId, request);

    const mail = await h.sink.waitForMail((m) => m.envelopeTo.includes(request.to[0]!));
    assert.ok(mail.parsed.attachments[0]?.content.equals(bytes));
    const [row] = await waitFor(async () => {
      const found = await rowsOfInvoice(request.invoiceId);
      return found[0]?.status === 'sent' ? found : undefined;
    });
    assert.equal(row?.attempts, 1);
  });

  it('retries a transient 451 and delivers once', async () => {
    const data = verificationRequest();
    h.sink.failNext(1, 451);
    await h.publish(Subjects.EmailVerificationRequested, newId(), data.userId, data);

    await h.sink.waitForMail((m) => m.envelopeTo.includes(data.email));
    const [row] = await waitFor(async () => {
      const found = await rowsTo(data.email);
      return found[0]?.status === 'sent' ? found : undefined;
    });
    assert.equal(row?.attempts, 2);
    await sleep(500);
    assert.equal(mailsTo(data.email).length, 1);
  });

  it('ends a permanent 550 as failed and publishes email.failed', async () => {
    const orgId = newId();
    const data = verificationRequest();
    h.sink.failNext(1, 550);
    await h.publish(Subjects.EmailVerificationRequested, orgId, data.userId, data);

    const [row] = await waitFor(async () => {
      const found = await rowsTo(data.email);
      return found[0]?.status === 'failed' ? found : undefined;
    });
    assert.equal(row?.attempts, 1);
    assert.match(row?.last_error ?? '', /550/);
    assert.equal(row?.payload.link, undefined);
    const failed = await waitFor(async () =>
      (await h.streamEvents<EmailFailed>(Subjects.EmailFailed)).find((e) => e.data.emailId === row?.id),
    );
    assert.equal(failed.orgid, orgId);
    assert.match(failed.data.reason, /550/);
    assert.equal(mailsTo(data.email).length, 0);
  });

  it('ends as failed with email.failed when every retry meets a 4xx', async () => {
    const data = verificationRequest();
    h.sink.failNext(h.config.EMAIL_ATTEMPTS, 421);
    await h.publish(Subjects.EmailVerificationRequested, newId(), data.userId, data);

    const [row] = await waitFor(
      async () => {
        const found = await rowsTo(data.email);
        return found[0]?.status === 'failed' ? found : undefined;
      },
      { timeoutMs: 30_000 },
    );
    assert.equal(row?.attempts, h.config.EMAIL_ATTEMPTS);
    await waitFor(async () =>
      (await h.streamEvents<EmailFailed>(Subjects.EmailFailed)).find((e) => e.data.emailId === row?.id),
    );
    assert.equal(mailsTo(data.email).length, 0);
  });

  it('sends a queued email whose job was lost, through the reconciler', async () => {
    const id = newId();
    const address = `lost-${id.slice(-6)}@example.com`;
    await h.deps.orm.em.fork().execute(
      `insert into notification.emails (id, org_id, idempotency_key, template, "to", subject, status, payload)
       values (?, ?, ?, 'verify-email', array[?]::text[], 'Confirm your email address', 'queued', ?::jsonb)`,
      [
        id,
        newId(),
        `${id}:verify-email:${address}`,
        address,
        JSON.stringify({
          name: 'Lost',
          link: 'http://127.0.0.1:8080/verify-email?token=x',
          expiresAt: new Date().toISOString(),
        }),
      ],
    );
    assert.equal(await h.deps.queue.getJob(id), undefined);

    const added = await h.workers.reconciler.runOnce();
    assert.ok(added >= 1);
    await h.sink.waitForMail((m) => m.envelopeTo.includes(address));
    await waitFor(async () => (await rows('id = ?', [id]))[0]?.status === 'sent');
    assert.equal(await h.workers.reconciler.runOnce(), 0, 'a sent email is not enqueued again');
  });

  it('sends a password reset email with the reset link', async () => {
    const data = verificationRequest();
    await h.publish(Subjects.PasswordResetRequested, newId(), data.userId, data);
    const mail = await h.sink.waitForMail((m) => m.envelopeTo.includes(data.email));
    assert.equal(mail.parsed.subject, 'Reset your password');
    assert.ok(mail.parsed.text?.includes(`http://127.0.0.1:8080/reset-password?token=${data.token}`));
  });

  it('fails a waiting invoice email when its document cannot be rendered', async () => {
    const orgId = newId();
    const request = sendRequest();
    await h.publish(Subjects.InvoiceSendRequested, orgId, request.invoiceId, request);
    await waitFor(async () => (await rowsOfInvoice(request.invoiceId))[0]?.status === 'waiting_for_document');

    await h.publish(Subjects.DocumentRenderFailed, orgId, request.invoiceId, {
      documentId: newId(),
      sourceType: 'invoice',
      sourceId: request.invoiceId,
      version: 1,
      reason: 'font missing',
    });

    const [row] = await waitFor(async () => {
      const found = await rowsOfInvoice(request.invoiceId);
      return found[0]?.status === 'failed' ? found : undefined;
    });
    assert.match(row?.last_error ?? '', /font missing/);
    const failed = await waitFor(async () =>
      (await h.streamEvents<EmailFailed>(Subjects.EmailFailed)).find((e) => e.data.emailId === row?.id),
    );
    assert.equal(failed.data.invoiceId, request.invoiceId);
  });

  it('never strands an email when the send request and the rendered PDF arrive at the same moment', async () => {
    const orgId = newId();
    const context = { logger: silentLogger(), deliveryCount: 1 };
    const requests = Array.from({ length: 8 }, () => sendRequest());
    await Promise.all(
      requests.flatMap((request) => {
        const rendered = renderedDocument({
          invoiceId: request.invoiceId,
          number: request.number,
          bucket: h.storage.bucket,
          key: `orgs/${orgId}/invoices/${request.invoiceId}/1.pdf`,
          bytes: pdfBytes(),
        });
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
    const statuses = await rows(
      `invoice_id in (${requests.map(() => '?').join(',')})`,
      requests.map((r) => r.invoiceId),
    );
    assert.equal(statuses.length, requests.length);
    assert.ok(
      statuses.every((row) => row.status !== 'waiting_for_document'),
      'no email waits for a known document',
    );
  });
});

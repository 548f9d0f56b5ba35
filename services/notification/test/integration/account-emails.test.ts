import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createEnvelope, newId, Subjects, type EmailDelivered, type EmailFailed } from '@invoice/contracts';
import { startHarness, type Harness } from '../support/harness.ts';
import { verificationRequest } from '../support/fixtures.ts';

describe('account emails (verification, password reset): delivery, retries, failures', () => {
  let h: Harness;

  before(async () => {
    h = await startHarness();
  });

  after(async () => {
    await h?.close();
  });

  it('sends one verification email with the link and the name escaped in HTML', async () => {
    const orgId = newId();
    const data = verificationRequest({ name: '<script>alert("owned")</script> Ann' });
    await h.publishVerification(orgId, data);

    const mail = await h.smtp.waitForMail((m) => m.envelopeTo.includes(data.email));
    const link = `https://app.example.test/verify-email?token=${data.token}`;
    assert.equal(mail.parsed.subject, 'Confirm your email address');
    assert.ok(mail.parsed.text?.includes(link));
    const html = String(mail.parsed.html);
    assert.ok(!html.includes('<script>'), 'the name must not arrive as markup');
    assert.ok(html.includes('&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt; Ann'));
    assert.ok(html.includes(`href="${link}"`));

    const row = await h.rowReaching('sent', () => h.rowsTo(data.email));
    assert.equal(row.attempts, 1);
    assert.equal(mail.parsed.messageId, `<${row.id}@invoice.local>`);
    assert.equal(row.payload.link, undefined, 'the one-time link is dropped from the log once sent');
    const [delivered] = await h.eventsAbout<EmailDelivered>(Subjects.EmailDelivered, row.id);
    assert.equal(delivered?.orgid, orgId);
    assert.deepEqual(delivered?.data.to, [data.email]);
    assert.equal(h.mailsTo(data.email).length, 1);
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
    const second = await h.deps.bus.js.publish(wire, JSON.stringify(envelope), {
      msgID: `${envelope.id}-b`,
    });

    await h.smtp.waitForMail((m) => m.envelopeTo.includes(data.email));
    // Both copies were handled (acknowledged) and the email's job is done: a duplicate had its chance.
    await h.consumerAcked(envelope.type, 'notification-email-verification-requested', second.seq);
    const rows = await h.rowsTo(data.email);
    assert.equal(rows.length, 1);
    assert.equal(await h.jobFinished(rows[0]!.id), 'completed');
    assert.equal(h.mailsTo(data.email).length, 1);
  });

  it('retries a transient 451 and delivers once', async () => {
    const data = verificationRequest();
    h.smtp.failNext(1, 451);
    await h.publishVerification(newId(), data);

    await h.smtp.waitForMail((m) => m.envelopeTo.includes(data.email));
    const row = await h.rowReaching('sent', () => h.rowsTo(data.email));
    assert.equal(row.attempts, 2);
    assert.equal(await h.jobFinished(row.id), 'completed');
    assert.equal(h.mailsTo(data.email).length, 1);
  });

  it('ends a permanent 550 as failed and publishes email.failed', async () => {
    const orgId = newId();
    const data = verificationRequest();
    h.smtp.failNext(1, 550);
    await h.publishVerification(orgId, data);

    const row = await h.rowReaching('failed', () => h.rowsTo(data.email));
    assert.equal(row.attempts, 1);
    assert.match(row.last_error ?? '', /550/);
    assert.equal(row.payload.link, undefined);
    const [failed] = await h.eventsAbout<EmailFailed>(Subjects.EmailFailed, row.id);
    assert.equal(failed?.orgid, orgId);
    assert.match(failed?.data.reason ?? '', /550/);
    assert.equal(h.mailsTo(data.email).length, 0);
  });

  it('ends as failed with one email.failed when every retry meets a 4xx, and is never retried again', async () => {
    const data = verificationRequest();
    h.smtp.failNext(h.config.EMAIL_ATTEMPTS, 421);
    await h.publishVerification(newId(), data);

    const row = await h.rowReaching('failed', () => h.rowsTo(data.email), { timeoutMs: 30_000 });
    assert.equal(row.attempts, h.config.EMAIL_ATTEMPTS);
    assert.match(row.last_error ?? '', /421/);
    // The row was final before the job failed, so the reconciler sees nothing to re-enqueue.
    assert.equal(await h.jobFinished(row.id), 'failed');
    await h.reconciler.runOnce();
    assert.equal(await h.deps.queue.getJob(row.id).then((job) => job?.getState()), 'failed');
    const failed = await h.eventsAbout<EmailFailed>(Subjects.EmailFailed, row.id);
    assert.equal(failed.length, 1);
    assert.equal(failed[0]?.data.attempts, h.config.EMAIL_ATTEMPTS);
    const [final] = await h.rowsTo(data.email);
    assert.equal(final?.attempts, h.config.EMAIL_ATTEMPTS, 'no attempt beyond EMAIL_ATTEMPTS');
    assert.equal(h.mailsTo(data.email).length, 0);
  });

  it('sends a queued email whose job was lost, through the reconciler', async () => {
    const id = newId();
    const address = `lost-${id.slice(-6)}@example.com`;
    await h.insertVerificationEmail({ id, to: address, status: 'queued' });
    assert.equal(await h.deps.queue.getJob(id), undefined);

    const added = await h.reconciler.runOnce();
    assert.ok(added >= 1);
    await h.smtp.waitForMail((m) => m.envelopeTo.includes(address));
    await h.rowReaching('sent', () => h.rows('id = ?', [id]));
    assert.equal(await h.reconciler.runOnce(), 0, 'a sent email is not enqueued again');
  });

  it('sends again an email a crashed worker left in sending, once it is stale, through the reconciler', async () => {
    const id = newId();
    const address = `abandoned-${id.slice(-6)}@example.com`;
    await h.insertVerificationEmail({ id, to: address, status: 'sending', attempts: 1, minutesAgo: 60 });
    // Another worker is sending this one right now: not stale, so not touched.
    const busyId = newId();
    const busy = `busy-${busyId.slice(-6)}@example.com`;
    await h.insertVerificationEmail({ id: busyId, to: busy, status: 'sending', attempts: 1 });

    assert.ok((await h.reconciler.runOnce()) >= 1);
    assert.equal(await h.deps.queue.getJob(busyId), undefined, 'a fresh sending email keeps its worker');
    await h.smtp.waitForMail((m) => m.envelopeTo.includes(address));
    const row = await h.rowReaching('sent', () => h.rows('id = ?', [id]));
    assert.equal(row.attempts, 2, 'the abandoned attempt counts');
    assert.equal(h.mailsTo(address).length, 1);
  });

  it('sends a password reset email with the reset link', async () => {
    const data = verificationRequest();
    await h.publish({ type: Subjects.PasswordResetRequested, orgId: newId(), subject: data.userId, data });
    const mail = await h.smtp.waitForMail((m) => m.envelopeTo.includes(data.email));
    assert.equal(mail.parsed.subject, 'Reset your password');
    assert.ok(mail.parsed.text?.includes(`https://app.example.test/reset-password?token=${data.token}`));
  });
});

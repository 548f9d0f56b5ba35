import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { newId, Subjects, type InvoicePaymentRecorded, type InvoiceReminderDue } from '@invoice/contracts';
import { waitFor } from '@invoice/platform-testing';
import { startHarness, type Harness } from '../support/harness.ts';
import { pdfBytes, renderedDocument } from '../support/fixtures.ts';

/** An `invoicing.invoice.reminder-due.v1` payload. */
function reminderDue(overrides: Partial<InvoiceReminderDue> = {}): InvoiceReminderDue {
  const suffix = randomBytes(3).toString('hex');
  return {
    invoiceId: newId(),
    number: `INV-2026-${suffix}`,
    reminder: 1,
    maxReminders: 3,
    documentVersion: 1,
    to: [`buyer-${suffix}@example.com`],
    sellerName: 'Acme GmbH',
    buyerName: 'Globex Ltd',
    gross: '119.00',
    due: '119.00',
    currency: 'EUR',
    dueDate: '2026-06-30',
    daysOverdue: 3,
    ...overrides,
  };
}

describe('invoice lifecycle emails: reminders and payment receipts', () => {
  let h: Harness;

  before(async () => {
    h = await startHarness();
  });

  after(async () => {
    await h?.close();
  });

  const publishReminder = (orgId: string, data: InvoiceReminderDue, id?: string) =>
    h.publish({
      type: Subjects.InvoiceReminderDue,
      source: 'invoicing',
      orgId,
      subject: data.invoiceId,
      data,
      ...(id ? { id } : {}),
    });

  async function storePdf(orgId: string, reminder: InvoiceReminderDue) {
    const bytes = pdfBytes();
    const rendered = renderedDocument({
      invoiceId: reminder.invoiceId,
      number: reminder.number,
      bucket: h.storage.bucket,
      key: `orgs/${orgId}/invoices/${reminder.invoiceId}/1.pdf`,
      bytes,
    });
    await h.storage.put(rendered.key, bytes, 'application/pdf');
    await h.publishRendered(orgId, rendered);
    return bytes;
  }

  it('emails each reminder once, with the invoice PDF attached, counted at the SMTP server', async () => {
    const orgId = newId();
    const first = reminderDue();
    const to = first.to[0]!;
    const event = await publishReminder(orgId, first);
    const bytes = await storePdf(orgId, first);
    const mail = await h.smtp.waitForMail((m) => m.envelopeTo.includes(to));
    assert.equal(mail.parsed.subject, `Payment reminder: invoice ${first.number} from Acme GmbH`);
    assert.match(mail.parsed.text ?? '', /3 days overdue/);
    assert.match(mail.parsed.text ?? '', /€119\.00/);
    const [attachment] = mail.parsed.attachments;
    assert.equal(attachment?.contentType, 'application/pdf');
    assert.ok(attachment?.content.equals(bytes), 'the attachment is the stored PDF');

    await publishReminder(orgId, first, event.id); // a redelivery of the same event
    await publishReminder(orgId, { ...first, reminder: 2, daysOverdue: 10 });
    await publishReminder(orgId, { ...first, reminder: 3, daysOverdue: 17 });
    await waitFor(async () => (h.mailsTo(to).length >= 3 ? true : undefined), { what: 'three reminders' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(
      h
        .mailsTo(to)
        .map((m) => m.parsed.subject)
        .sort(),
      [
        `Payment reminder 2: invoice ${first.number} from Acme GmbH`,
        `Payment reminder 3: invoice ${first.number} from Acme GmbH`,
        `Payment reminder: invoice ${first.number} from Acme GmbH`,
      ],
    );
  });

  it('sends a payment receipt only when the event asks for one', async () => {
    const orgId = newId();
    const suffix = randomBytes(3).toString('hex');
    const buyer = `payer-${suffix}@example.com`;
    const base: InvoicePaymentRecorded = {
      invoiceId: newId(),
      number: `INV-2026-${suffix}`,
      status: 'partially_paid',
      currency: 'EUR',
      gross: '119.00',
      paid: '50.00',
      credited: '0.00',
      due: '69.00',
      payment: {
        id: newId(),
        amount: '50.00',
        applied: '50.00',
        creditBalance: '0.00',
        refunded: '0.00',
        date: '2026-07-01',
        method: 'bank_transfer',
      },
    };
    const publish = (data: InvoicePaymentRecorded) =>
      h.publish({
        type: Subjects.InvoicePaymentRecorded,
        source: 'invoicing',
        orgId,
        subject: data.invoiceId,
        data,
      });
    await publish(base);
    await publish({ ...base, receipt: { to: [buyer], buyerName: 'Globex Ltd', sellerName: 'Acme GmbH' } });
    const mail = await h.smtp.waitForMail((m) => m.envelopeTo.includes(buyer));
    assert.equal(mail.parsed.subject, `Payment received: invoice ${base.number} from Acme GmbH`);
    assert.match(mail.parsed.text ?? '', /€50\.00 on 2026-07-01/);
    assert.match(mail.parsed.text ?? '', /Amount still due: €69\.00/);
    assert.equal(mail.parsed.attachments.length, 0);
    assert.equal((await h.rowsOfInvoice(base.invoiceId)).length, 1, 'no receipt for the event without one');
  });

  it('words a credit-note send request as a credit note and attaches its PDF', async () => {
    const orgId = newId();
    const suffix = randomBytes(3).toString('hex');
    const request = {
      requestId: newId(),
      invoiceId: newId(),
      number: `CN-2026-${suffix}`,
      documentVersion: 1,
      to: [`credit-${suffix}@example.com`],
      sellerName: 'Acme GmbH',
      buyerName: 'Globex Ltd',
      gross: '59.50',
      due: '59.50',
      currency: 'EUR',
      documentType: 'credit_note' as const,
      creditedNumber: 'INV-2026-000007',
    };
    await h.publishSendRequest(orgId, request);
    const bytes = pdfBytes();
    const rendered = {
      ...renderedDocument({
        invoiceId: request.invoiceId,
        number: request.number,
        bucket: h.storage.bucket,
        key: `orgs/${orgId}/credit-notes/${request.invoiceId}/1.pdf`,
        bytes,
      }),
      sourceType: 'credit_note' as const,
    };
    await h.storage.put(rendered.key, bytes, 'application/pdf');
    await h.publishRendered(orgId, rendered);
    const mail = await h.smtp.waitForMail((m) => m.envelopeTo.includes(request.to[0]!));
    assert.equal(mail.parsed.subject, `Credit note ${request.number} from Acme GmbH`);
    assert.match(mail.parsed.text ?? '', /for invoice INV-2026-000007, crediting €59\.50/);
    assert.ok(mail.parsed.attachments[0]?.content.equals(bytes));
  });
});

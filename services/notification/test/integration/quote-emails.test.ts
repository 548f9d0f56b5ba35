/**
 * `invoicing.quote.sent.v1` → one `quote` email that waits for the quote's PDF and goes out with it
 * attached; a redelivered event records no second email.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newId, Subjects, type InvoiceSnapshot, type QuoteSent } from '@invoice/contracts';
import { silentLogger } from '@invoice/platform-testing';
import { quoteSentConsumer } from '../../src/events/quote-sent.consumer.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { pdfBytes, renderedDocument } from '../support/fixtures.ts';

function quoteSent(): QuoteSent {
  const quote: InvoiceSnapshot & { validUntil: string } = {
    id: newId(),
    type: 'quote',
    number: 'QUO-2026-000009',
    status: 'sent',
    currency: 'EUR',
    issueDate: '2026-12-01',
    validUntil: '2026-12-31',
    seller: { name: 'Acme GmbH' },
    buyer: { name: 'Globex Ltd' },
    clientId: newId(),
    lines: [
      {
        position: 1,
        description: 'Consulting',
        quantity: '2',
        unitCode: 'HUR',
        unitPrice: '100',
        vatCategory: 'S',
        vatRate: '19',
        net: '200.00',
      },
    ],
    totals: {
      lineNet: '200.00',
      allowances: '0.00',
      charges: '0.00',
      net: '200.00',
      vat: '38.00',
      gross: '238.00',
      prepaid: '0.00',
      rounding: '0.00',
      due: '238.00',
    },
    vatBreakdown: [{ category: 'S', rate: '19', taxable: '200.00', tax: '38.00' }],
    issuedAt: new Date().toISOString(),
    version: 1,
  };
  return {
    requestId: newId(),
    quote,
    number: quote.number,
    validUntil: quote.validUntil,
    to: [`buyer-${quote.id}@globex.example`],
    sellerName: 'Acme GmbH',
    buyerName: 'Globex Ltd',
    gross: '238.00',
    currency: 'EUR',
  };
}

describe('quote emails', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  it('holds the quote email until its PDF is rendered, then sends it with the PDF attached, once', async () => {
    const orgId = newId();
    const data = quoteSent();
    const to = data.to[0]!;
    const envelope = await h.publish<QuoteSent>({
      type: Subjects.QuoteSent,
      source: 'invoicing',
      orgId,
      subject: data.quote.id,
      data,
    });
    const waiting = await h.rowReaching('waiting_for_document', () => h.rowsOfInvoice(data.quote.id));
    assert.equal(waiting.payload.validUntil, '2026-12-31');
    // A redelivery of the same event records nothing more.
    await quoteSentConsumer(h.deps).handle(envelope, { logger: silentLogger(), deliveryCount: 2 });
    assert.equal((await h.rowsOfInvoice(data.quote.id)).length, 1);

    const bytes = pdfBytes();
    const rendered = {
      ...renderedDocument({
        invoiceId: data.quote.id,
        number: data.number,
        bucket: h.storage.bucket,
        key: `orgs/${orgId}/quotes/${data.quote.id}/1.pdf`,
        bytes,
      }),
      sourceType: 'quote' as const,
    };
    await h.storage.put(rendered.key, bytes, 'application/pdf');
    await h.publishRendered(orgId, rendered);

    const mail = await h.smtp.waitForMail((m) => m.envelopeTo.includes(to));
    assert.equal(mail.parsed.subject, 'Quote QUO-2026-000009 from Acme GmbH');
    assert.match(mail.parsed.text ?? '', /valid until 2026-12-31/);
    const [attachment] = mail.parsed.attachments;
    assert.equal(attachment?.filename, 'QUO-2026-000009.pdf');
    assert.ok(attachment?.content.equals(bytes), 'the attachment is the stored quote PDF');
    await h.rowReaching('sent', () => h.rowsOfInvoice(data.quote.id));
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(h.mailsTo(to).length, 1);
    assert.equal((await h.rowsOfInvoice(data.quote.id)).length, 1);
  });
});

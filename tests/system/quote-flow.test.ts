/**
 * A quote end to end through the gateway, every service in its own process: quote → send (the PDF,
 * titled "Quote" with its validity, rendered to S3 and emailed with the PDF attached at a real SMTP
 * server) → accept → convert into a draft invoice that names the quote → issue → paid.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { extractText, getDocumentProxy } from 'unpdf';
import { waitFor, type SmtpSink } from '@invoice/platform-testing';
import {
  gatewayApi,
  prepareSystem,
  startServices,
  stopServices,
  type SystemEnvironment,
} from './support/system.ts';

describe('quote to paid invoice, end to end through the gateway', { timeout: 240_000 }, () => {
  let system: SystemEnvironment;
  let smtp: SmtpSink;
  let api: ReturnType<typeof gatewayApi>;
  const children: ChildProcess[] = [];

  before(async () => {
    system = await prepareSystem({ lockedNats: true });
    ({ smtp } = system);
    api = gatewayApi(system.gatewayUrl);
    await startServices(system, children);
  });

  after(async () => {
    await stopServices(children);
    await system?.cleanup();
  });

  it('sends a quote as a PDF email, accepts it, converts it, issues the invoice and records its payment', async () => {
    const email = `owner-${system.namespace}@example.test`;
    const buyer = `purchasing-${system.namespace}@globex.test`;
    const password = 'correct horse battery staple';
    const signup = await api('POST', '/v1/auth/signup', {
      organizationName: 'Initech AG',
      name: 'Peter Gibbons',
      email,
      password,
    });
    assert.equal(signup.status, 201, JSON.stringify(signup.json));
    const verification = await smtp.waitForMail((mail) => mail.envelopeTo.includes(email));
    const token = /token=([A-Za-z0-9_-]+)/.exec(verification.parsed.text ?? '')?.[1];
    assert.equal((await api('POST', '/v1/auth/verify-email', { token })).status, 200);
    const login = await api('POST', '/v1/auth/login', { email, password });
    const accessToken = login.json.accessToken as string;
    const organization = await api(
      'PATCH',
      '/v1/organization',
      {
        legalName: 'Initech AG',
        taxId: 'DE123456789',
        address: { line1: 'Hauptstrasse 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
      },
      accessToken,
    );
    assert.equal(organization.status, 200, JSON.stringify(organization.json));
    const client = await api(
      'POST',
      '/v1/clients',
      {
        name: 'Globex Corporation',
        email: buyer,
        address: { line1: '1 Globex Way', city: 'Cypress Creek', postalCode: '12345', country: 'US' },
      },
      accessToken,
    );
    assert.equal(client.status, 201, JSON.stringify(client.json));

    const today = new Date().toISOString().slice(0, 10);
    const validUntil = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    const quote = await api(
      'POST',
      '/v1/quotes',
      {
        clientId: client.json.id,
        currency: 'EUR',
        validUntil,
        lines: [
          { description: 'Consulting', quantity: '2', unitCode: 'HUR', unitPrice: '100.00', vatRate: '19' },
        ],
      },
      accessToken,
    );
    assert.equal(quote.status, 201, JSON.stringify(quote.json));
    assert.equal(quote.json.totals.gross, '238.00');
    const id = quote.json.id as string;

    const sent = await api('POST', `/v1/quotes/${id}/send`, {}, accessToken);
    assert.equal(sent.status, 202, JSON.stringify(sent.json));
    const numbered = await api('GET', `/v1/quotes/${id}`, undefined, accessToken);
    assert.equal(numbered.json.status, 'sent');
    const number = numbered.json.number as string;
    assert.match(number, /^QUO-\d{4}-0*1$/);

    const mail = await smtp.waitForMail((m) => m.envelopeTo.includes(buyer), 90_000);
    assert.equal(mail.parsed.subject, `Quote ${number} from Initech AG`);
    assert.match(mail.parsed.text ?? '', new RegExp(`valid until ${validUntil}`));
    const attachment = mail.parsed.attachments.find((a) => a.contentType === 'application/pdf');
    assert.ok(attachment, 'the quote email has the PDF attached');
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(attachment.content)), {
      mergePages: true,
    });
    assert.match(text, /Quote/);
    assert.ok(text.includes(number), `PDF text contains the quote number ${number}`);
    assert.ok(text.includes('Valid until') && text.includes(validUntil), 'PDF text states the validity');
    assert.ok(!text.includes('Due date'), 'a quote has no due date');

    // The same PDF is stored in S3 and handed out through a presigned link.
    const pdf = await waitFor(
      async () => {
        const response = await api('GET', `/v1/quotes/${id}/pdf`, undefined, accessToken, 'manual');
        return response.status === 302 ? response : undefined;
      },
      { timeoutMs: 60_000, what: 'the rendered quote PDF' },
    );
    const download = await fetch(pdf.headers.get('location')!);
    assert.equal(download.status, 200);
    assert.deepEqual(Buffer.from(await download.arrayBuffer()), Buffer.from(attachment.content));

    const accepted = await api('POST', `/v1/quotes/${id}/accept`, {}, accessToken);
    assert.equal(accepted.status, 200, JSON.stringify(accepted.json));
    assert.equal(accepted.json.status, 'accepted');
    assert.ok(accepted.json.acceptedBy);

    const converted = await api('POST', `/v1/quotes/${id}/convert`, {}, accessToken);
    assert.equal(converted.status, 201, JSON.stringify(converted.json));
    assert.equal(converted.json.status, 'draft');
    assert.equal(converted.json.quoteId, id);
    assert.equal(converted.json.totals.gross, '238.00');
    const invoiceId = converted.json.id as string;
    const again = await api('POST', `/v1/quotes/${id}/convert`, {}, accessToken);
    assert.equal(again.status, 409);
    assert.equal(again.json.code, 'QUOTE_ALREADY_CONVERTED');

    const issued = await api('POST', `/v1/invoices/${invoiceId}/issue`, {}, accessToken);
    assert.equal(issued.status, 200, JSON.stringify(issued.json));
    assert.match(issued.json.number as string, /^INV-\d{4}-0*1$/);
    assert.equal(issued.json.quoteId, id);

    const payment = await api(
      'POST',
      `/v1/invoices/${invoiceId}/payments`,
      { amount: '238.00', date: today, method: 'bank_transfer', reference: 'TX-7' },
      accessToken,
    );
    assert.equal(payment.status, 201, JSON.stringify(payment.json));
    const paid = await api('GET', `/v1/invoices/${invoiceId}`, undefined, accessToken);
    assert.equal(paid.json.status, 'paid');
    assert.equal(paid.json.totals.due, '0.00');
    const final = await api('GET', `/v1/quotes/${id}`, undefined, accessToken);
    assert.equal(final.json.status, 'converted');
    assert.equal(final.json.invoiceId, invoiceId);
  });
});

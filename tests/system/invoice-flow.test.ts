/**
 * The walking skeleton, end to end: every service runs as its own process; the test drives only
 * the public API through the gateway, and receives the emails at a real SMTP server.
 * sign up → verification email → verify → log in → client → product → draft → issue → PDF in S3
 * → GET pdf → send → email with the PDF attached.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { extractText, getDocumentProxy } from 'unpdf';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { validateEvent } from '@invoice/contracts';
import { waitFor, type SmtpSink } from '@invoice/platform-testing';
import {
  gatewayApi,
  prepareSystem,
  startServices,
  stopServices,
  type SystemEnvironment,
} from './support/system.ts';

describe('invoice platform, end to end through the gateway', { timeout: 240_000 }, () => {
  let system: SystemEnvironment;
  let smtp: SmtpSink;
  let namespace: string;
  let natsUrl: string;
  let api: ReturnType<typeof gatewayApi>;
  const children: ChildProcess[] = [];

  before(async () => {
    system = await prepareSystem();
    ({ smtp, namespace, natsUrl } = system);
    api = gatewayApi(system.gatewayUrl);
    await startServices(system, children);
  });

  after(async () => {
    await stopServices(children);
    await system?.cleanup();
  });

  it('takes an invoice from sign-up to an emailed PDF', async () => {
    const email = `owner-${namespace}@example.test`;
    const password = 'correct horse battery staple';

    const signup = await api('POST', '/v1/auth/signup', {
      organizationName: 'Initech AG',
      name: 'Peter Gibbons',
      email,
      password,
    });
    assert.equal(signup.status, 201, JSON.stringify(signup.json));

    const beforeVerification = await api('POST', '/v1/auth/login', { email, password });
    assert.equal(beforeVerification.status, 403);
    assert.equal(beforeVerification.json.code, 'EMAIL_NOT_VERIFIED');

    const verification = await smtp.waitForMail((mail) => mail.envelopeTo.includes(email));
    const token = /token=([A-Za-z0-9_-]+)/.exec(verification.parsed.text ?? '')?.[1];
    assert.ok(token, 'the verification email carries a token link');
    assert.equal((await api('POST', '/v1/auth/verify-email', { token })).status, 200);

    const login = await api('POST', '/v1/auth/login', { email, password });
    assert.equal(login.status, 200, JSON.stringify(login.json));
    const accessToken = login.json.accessToken as string;

    const organization = await api(
      'PATCH',
      '/v1/organization',
      {
        legalName: 'Initech AG',
        taxId: 'DE123456789',
        address: { line1: 'Hauptstrasse 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
        bankAccount: { iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' },
      },
      accessToken,
    );
    assert.equal(organization.status, 200, JSON.stringify(organization.json));

    const client = await api(
      'POST',
      '/v1/clients',
      {
        name: 'Globex Corporation',
        email: `billing-${namespace}@globex.test`,
        address: { line1: '1 Globex Way', city: 'Cypress Creek', postalCode: '12345', country: 'US' },
      },
      accessToken,
    );
    assert.equal(client.status, 201, JSON.stringify(client.json));

    // A category whose products print their seniority on invoice lines.
    const category = await api(
      'POST',
      '/v1/categories',
      {
        name: 'Consulting',
        attributes: [{ key: 'level', label: 'Seniority', type: 'text', required: true, showOnInvoice: true }],
      },
      accessToken,
    );
    assert.equal(category.status, 201, JSON.stringify(category.json));

    const product = await api(
      'POST',
      '/v1/products',
      {
        name: 'Consulting hour',
        unitPrice: '100.00',
        currency: 'EUR',
        unitCode: 'HUR',
        vatRate: '19',
        categoryId: category.json.id,
        attributes: { level: 'Senior partner' },
      },
      accessToken,
    );
    assert.equal(product.status, 201, JSON.stringify(product.json));

    const draft = await api(
      'POST',
      '/v1/invoices',
      {
        clientId: client.json.id,
        currency: 'EUR',
        lines: [
          {
            productId: product.json.id,
            description: 'Consulting hour',
            quantity: '3',
            unitCode: 'HUR',
            unitPrice: '100.00',
            vatCategory: 'S',
            vatRate: '19',
          },
          {
            description: 'Travel flat fee',
            quantity: '1',
            unitCode: 'C62',
            unitPrice: '49.99',
            vatCategory: 'S',
            vatRate: '19',
          },
        ],
        // Totals sent by a client are never trusted; the server computes them.
      },
      accessToken,
    );
    assert.equal(draft.status, 201, JSON.stringify(draft.json));
    assert.equal(draft.json.status, 'draft');
    assert.equal(draft.json.totals.net, '349.99');
    assert.equal(draft.json.totals.vat, '66.50');
    assert.equal(draft.json.totals.gross, '416.49');
    assert.deepEqual(
      draft.json.lines[0].attributes,
      [{ name: 'Seniority', value: 'Senior partner' }],
      "the product's invoice-visible attribute is copied onto its line",
    );
    assert.equal(draft.json.lines[1].attributes, undefined, 'a line without a product has no attributes');

    const issued = await api('POST', `/v1/invoices/${draft.json.id}/issue`, {}, accessToken);
    assert.equal(issued.status, 200, JSON.stringify(issued.json));
    const number = issued.json.number as string;
    assert.match(number, /^INV-\d{4}-0*1$/);

    const pdfResponse = await waitFor(
      async () => {
        const response = await api(
          'GET',
          `/v1/invoices/${draft.json.id}/pdf`,
          undefined,
          accessToken,
          'manual',
        );
        return response.status === 302 ? response : undefined;
      },
      { timeoutMs: 60_000, what: 'the rendered PDF' },
    );
    const download = await fetch(pdfResponse.headers.get('location')!);
    assert.equal(download.status, 200);
    const downloaded = Buffer.from(await download.arrayBuffer());
    assert.equal(downloaded.subarray(0, 5).toString(), '%PDF-');

    const send = await api('POST', `/v1/invoices/${draft.json.id}/send`, {}, accessToken);
    assert.equal(send.status, 202, JSON.stringify(send.json));

    const invoiceMail = await smtp.waitForMail(
      (mail) => mail.envelopeTo.includes(`billing-${namespace}@globex.test`),
      60_000,
    );
    const attachment = invoiceMail.parsed.attachments.find((a) => a.contentType === 'application/pdf');
    assert.ok(attachment, 'the invoice email has the PDF attached');
    assert.deepEqual(Buffer.from(attachment.content), downloaded);
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(attachment.content)), {
      mergePages: true,
    });
    assert.ok(text.includes(number), `PDF text contains the invoice number ${number}`);
    assert.ok(text.includes('Globex Corporation'), 'PDF text contains the client name');
    assert.ok(text.includes('416.49'), 'PDF text contains the total');
    assert.ok(
      text.includes('Seniority: Senior partner'),
      "PDF text shows the product's invoice-visible attribute",
    );

    const emails = await waitFor(async () => {
      const list = await api('GET', `/v1/emails?invoiceId=${draft.json.id}`, undefined, accessToken);
      return list.json.items?.some((item: { status: string }) => item.status === 'sent') ? list : undefined;
    });
    assert.equal(emails.status, 200);
  });

  it('publishes only events that validate against their contract schemas', async () => {
    const nc = await connect({ servers: natsUrl });
    try {
      const jsm = await jetstreamManager(nc);
      const prefix = `${namespace.toUpperCase()}_`;
      let checked = 0;
      for await (const name of jsm.streams.names()) {
        if (!name.startsWith(prefix)) continue;
        const info = await jsm.streams.info(name);
        for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
          const message = await jsm.streams.getMessage(name, { seq });
          if (!message) continue;
          const subject = message.subject.slice(namespace.length + 1);
          assert.deepEqual(validateEvent(subject, message.json()), [], `${subject} #${seq} validates`);
          checked++;
        }
      }
      assert.ok(checked >= 8, `checked ${checked} events`);
    } finally {
      await nc.close();
    }
  });
});

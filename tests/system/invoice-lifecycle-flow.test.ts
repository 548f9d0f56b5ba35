/**
 * The invoice lifecycle end to end, every service in its own process, emails at a real SMTP server:
 * an invoice past its due date is marked overdue by invoicing's scheduled scan (BullMQ), its payment
 * reminder arrives with the invoice PDF attached, exactly as the organization's policy says; a
 * payment sends a receipt and stops the reminders; a draft preview is a PDF stamped DRAFT.
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

describe('invoice lifecycle, end to end through the gateway', { timeout: 240_000 }, () => {
  let system: SystemEnvironment;
  let smtp: SmtpSink;
  let api: ReturnType<typeof gatewayApi>;
  const children: ChildProcess[] = [];

  before(async () => {
    system = await prepareSystem({ lockedNats: true });
    // The scan runs every second here (its schedule is what the test exercises, not the clock).
    system.env.OVERDUE_SCAN_INTERVAL_MS = '1000';
    ({ smtp } = system);
    api = gatewayApi(system.gatewayUrl);
    await startServices(system, children);
  });

  after(async () => {
    await stopServices(children);
    await system?.cleanup();
  });

  it('reminds an overdue invoice once with its PDF, sends a receipt for the payment, then stops', async () => {
    const email = `owner-${system.namespace}@example.test`;
    const buyer = `payables-${system.namespace}@globex.test`;
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
    const settings = await api(
      'PUT',
      '/v1/invoice-settings',
      {
        reminders: { enabled: true, firstAfterDays: 3, everyDays: 7, maxReminders: 3 },
        paymentReceipts: true,
      },
      accessToken,
    );
    assert.equal(settings.status, 200, JSON.stringify(settings.json));
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
    const line = {
      description: 'Consulting',
      quantity: '1',
      unitCode: 'HUR',
      unitPrice: '100.00',
      vatRate: '19',
    };

    const draft = await api(
      'POST',
      '/v1/invoices',
      {
        clientId: client.json.id,
        currency: 'EUR',
        issueDate: '2026-01-05',
        dueDate: '2026-01-20',
        lines: [line],
      },
      accessToken,
    );
    assert.equal(draft.status, 201, JSON.stringify(draft.json));
    const id = draft.json.id as string;
    const preview = await fetch(`${system.gatewayUrl}/v1/invoices/${id}/preview.pdf`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    assert.equal(preview.status, 200);
    const previewText = (
      await extractText(await getDocumentProxy(new Uint8Array(await preview.arrayBuffer())), {
        mergePages: true,
      })
    ).text;
    assert.match(previewText, /DRAFT/);

    const issued = await api('POST', `/v1/invoices/${id}/issue`, {}, accessToken);
    assert.equal(issued.status, 200, JSON.stringify(issued.json));
    const number = issued.json.number as string;

    const reminder = await smtp.waitForMail(
      (mail) => mail.envelopeTo.includes(buyer) && /Payment reminder/.test(mail.parsed.subject ?? ''),
      90_000,
    );
    assert.equal(reminder.parsed.subject, `Payment reminder: invoice ${number} from Initech AG`);
    const attachment = reminder.parsed.attachments.find((a) => a.contentType === 'application/pdf');
    assert.ok(attachment, 'the reminder has the invoice PDF attached');
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(attachment.content)), {
      mergePages: true,
    });
    assert.ok(text.includes(number));
    const overdue = await api('GET', `/v1/invoices/${id}`, undefined, accessToken);
    assert.equal(overdue.json.status, 'overdue');

    const payment = await api(
      'POST',
      `/v1/invoices/${id}/payments`,
      { amount: '119.00', date: '2026-12-01', method: 'bank_transfer', reference: 'TX-42' },
      accessToken,
    );
    assert.equal(payment.status, 201, JSON.stringify(payment.json));
    const receipt = await smtp.waitForMail(
      (mail) => mail.envelopeTo.includes(buyer) && /Payment received/.test(mail.parsed.subject ?? ''),
      60_000,
    );
    assert.match(receipt.parsed.text ?? '', /paid in full/);
    // Several scans later: still exactly one reminder (one per day at most, none once paid).
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const reminders = smtp.mails.filter(
      (mail) => mail.envelopeTo.includes(buyer) && /Payment reminder/.test(mail.parsed.subject ?? ''),
    );
    assert.equal(reminders.length, 1);
    const paid = await waitFor(async () => {
      const response = await api('GET', `/v1/invoices/${id}`, undefined, accessToken);
      return response.json.status === 'paid' ? response : undefined;
    });
    assert.equal(paid.json.totals.due, '0.00');
  });
});

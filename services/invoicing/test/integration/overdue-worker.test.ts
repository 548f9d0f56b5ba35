import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Subjects, type Invoice } from '@invoice/contracts';
import { waitFor } from '@invoice/platform-testing';
import { startHarness, waitForEvents, type Harness } from '../support/harness.ts';
import { line, seedTenant } from '../support/factories.ts';

let h: Harness;
before(async () => {
  h = await startHarness({ OVERDUE_SCAN_INTERVAL_MS: '1000' });
});
after(async () => {
  await h?.close();
});

describe('overdue scan worker', () => {
  it('runs the scheduled scan through BullMQ and marks a past-due invoice overdue', async () => {
    const { client, auth } = await seedTenant(h);
    const created = await h.app.inject({
      method: 'POST',
      url: '/v1/invoices',
      headers: auth,
      payload: { clientId: client.id, issueDate: '2026-01-05', dueDate: '2026-01-20', lines: [line()] },
    });
    const issued = await h.app.inject({
      method: 'POST',
      url: `/v1/invoices/${created.json<Invoice>().id}/issue`,
      headers: auth,
    });
    const invoice = issued.json<Invoice>();
    assert.equal(invoice.status, 'issued');
    await h.startWorkers();
    await waitFor(
      async () => {
        const response = await h.app.inject({
          method: 'GET',
          url: `/v1/invoices/${invoice.id}`,
          headers: auth,
        });
        return response.json<Invoice>().status === 'overdue' ? true : undefined;
      },
      { timeoutMs: 15_000, what: 'the scheduled scan marking the invoice overdue' },
    );
    const events = await waitForEvents(h, Subjects.InvoiceOverdue, invoice.id);
    assert.equal(events.length, 1);
  });
});

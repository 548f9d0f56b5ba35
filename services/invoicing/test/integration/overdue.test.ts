import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Subjects,
  validateEvent,
  type Invoice,
  type InvoiceOverdue,
  type InvoiceReminderDue,
  type InvoiceSettings,
} from '@invoice/contracts';
import { closeQueue, createQueue } from '@invoice/platform-queue';
import { scanOverdue } from '../../src/application/overdue-scan.ts';
import { OVERDUE_QUEUE, scheduleOverdueScan } from '../../src/workers/overdue.worker.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { line, seedTenant } from '../support/factories.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

type Auth = Record<string, string>;

/** The scan on a day the test chooses (noon UTC). */
const scanOn = (day: string) => scanOverdue(h.deps, { now: new Date(`${day}T12:00:00Z`) });

/** A tenant whose policy is: first reminder 3 days after the due date, then every 7 days, at most 3. */
async function tenantWithReminders() {
  const tenant = await seedTenant(h);
  const response = await h.app.inject({
    method: 'PUT',
    url: '/v1/invoice-settings',
    headers: tenant.auth,
    payload: {
      reminders: { enabled: true, firstAfterDays: 3, everyDays: 7, maxReminders: 3 },
      paymentReceipts: false,
    },
  });
  assert.equal(response.statusCode, 200, response.body);
  return tenant;
}

/** An issued invoice of 119.00 due on `dueDate`. */
async function issuedDue(auth: Auth, clientId: string, dueDate: string): Promise<Invoice> {
  const created = await h.app.inject({
    method: 'POST',
    url: '/v1/invoices',
    headers: auth,
    payload: {
      clientId,
      issueDate: '2026-06-01',
      dueDate,
      lines: [line({ quantity: '1', unitPrice: '100' })],
    },
  });
  assert.equal(created.statusCode, 201, created.body);
  const issued = await h.app.inject({
    method: 'POST',
    url: `/v1/invoices/${created.json<Invoice>().id}/issue`,
    headers: auth,
  });
  assert.equal(issued.statusCode, 200, issued.body);
  return issued.json<Invoice>();
}

async function eventsAbout<T>(type: string, id: string) {
  return (await h.events<T>(type)).filter((event) => event.subject === id);
}

async function statusOf(auth: Auth, id: string) {
  return (await h.app.inject({ method: 'GET', url: `/v1/invoices/${id}`, headers: auth })).json<Invoice>()
    .status;
}

describe('overdue invoices and reminders', () => {
  it('marks an invoice overdue once and sends exactly the reminders the policy says', async () => {
    const { client, auth } = await tenantWithReminders();
    const invoice = await issuedDue(auth, client.id, '2026-06-30');
    await scanOn('2026-06-30');
    assert.equal(await statusOf(auth, invoice.id), 'issued', 'not overdue on its due date');

    for (const day of ['2026-07-01', '2026-07-02', '2026-07-03', '2026-07-03', '2026-07-05', '2026-07-10']) {
      await scanOn(day);
    }
    assert.equal(await statusOf(auth, invoice.id), 'overdue');
    for (const day of ['2026-07-16', '2026-07-17', '2026-07-24', '2026-08-30']) await scanOn(day);

    const overdue = await eventsAbout<InvoiceOverdue>(Subjects.InvoiceOverdue, invoice.id);
    assert.equal(overdue.length, 1);
    assert.deepEqual(validateEvent(Subjects.InvoiceOverdue, overdue[0]), []);
    assert.equal(overdue[0]?.data.due, '119.00');
    const reminders = await eventsAbout<InvoiceReminderDue>(Subjects.InvoiceReminderDue, invoice.id);
    assert.deepEqual(
      reminders.map((event) => [event.data.reminder, event.data.daysOverdue]),
      [
        [1, 3],
        [2, 10],
        [3, 17],
      ],
    );
    for (const event of reminders) assert.deepEqual(validateEvent(Subjects.InvoiceReminderDue, event), []);
    assert.deepEqual(reminders[0]?.data.to, [client.email]);
  });

  it('stops reminding the moment the invoice is paid or voided', async () => {
    const { client, auth } = await tenantWithReminders();
    const paid = await issuedDue(auth, client.id, '2026-09-30');
    const voided = await issuedDue(auth, client.id, '2026-09-30');
    await scanOn('2026-10-03');
    assert.equal((await eventsAbout(Subjects.InvoiceReminderDue, paid.id)).length, 1);

    const payment = await h.app.inject({
      method: 'POST',
      url: `/v1/invoices/${paid.id}/payments`,
      headers: auth,
      payload: { amount: '119.00', date: '2026-10-04', method: 'bank_transfer' },
    });
    assert.equal(payment.statusCode, 201, payment.body);
    const voiding = await h.app.inject({
      method: 'POST',
      url: `/v1/invoices/${voided.id}/void`,
      headers: auth,
      payload: { reason: 'sent to the wrong client' },
    });
    assert.equal(voiding.statusCode, 200, voiding.body);
    for (const day of ['2026-10-10', '2026-10-17', '2026-10-24']) await scanOn(day);

    assert.equal((await eventsAbout(Subjects.InvoiceReminderDue, paid.id)).length, 1);
    assert.equal((await eventsAbout(Subjects.InvoiceReminderDue, voided.id)).length, 1);
    assert.equal(await statusOf(auth, paid.id), 'paid');
  });

  it('keeps a partially paid overdue invoice overdue and reminds it of the rest', async () => {
    const { client, auth } = await tenantWithReminders();
    const invoice = await issuedDue(auth, client.id, '2026-11-30');
    await scanOn('2026-12-01');
    await h.app.inject({
      method: 'POST',
      url: `/v1/invoices/${invoice.id}/payments`,
      headers: auth,
      payload: { amount: '19.00', date: '2026-12-02', method: 'card' },
    });
    assert.equal(await statusOf(auth, invoice.id), 'overdue');
    await scanOn('2026-12-03');
    const [reminder] = await eventsAbout<InvoiceReminderDue>(Subjects.InvoiceReminderDue, invoice.id);
    assert.equal(reminder?.data.due, '100.00');
  });

  it('sends nothing twice when two replicas scan at the same time', async () => {
    const { client, auth } = await tenantWithReminders();
    const invoice = await issuedDue(auth, client.id, '2027-01-31');
    await Promise.all([scanOn('2027-02-04'), scanOn('2027-02-04'), scanOn('2027-02-04')]);
    await Promise.all([scanOn('2027-02-04'), scanOn('2027-02-04')]);
    assert.equal((await eventsAbout(Subjects.InvoiceOverdue, invoice.id)).length, 1);
    assert.equal((await eventsAbout(Subjects.InvoiceReminderDue, invoice.id)).length, 1);
  });

  it('sends no reminders unless the organization turned them on', async () => {
    const { client, auth } = await seedTenant(h);
    const settings = await h.app.inject({ method: 'GET', url: '/v1/invoice-settings', headers: auth });
    assert.equal(settings.json<InvoiceSettings>().reminders.enabled, false);
    const invoice = await issuedDue(auth, client.id, '2027-03-31');
    await scanOn('2027-04-20');
    assert.equal((await eventsAbout(Subjects.InvoiceOverdue, invoice.id)).length, 1);
    assert.equal((await eventsAbout(Subjects.InvoiceReminderDue, invoice.id)).length, 0);
  });

  it('keeps one schedule however many replicas start the worker', async () => {
    const options = { redisUrl: h.deps.config.REDIS_URL, prefix: h.deps.config.QUEUE_PREFIX };
    const replicas = [createQueue(OVERDUE_QUEUE, options), createQueue(OVERDUE_QUEUE, options)];
    try {
      await Promise.all(replicas.map((queue) => scheduleOverdueScan(queue, 60_000)));
      await scheduleOverdueScan(replicas[0]!, 60_000);
      const schedulers = await replicas[1]!.getJobSchedulers();
      assert.equal(schedulers.length, 1);
      const counts = await replicas[1]!.getJobCounts('waiting', 'delayed', 'prioritized');
      assert.equal(counts.waiting! + counts.delayed! + counts.prioritized!, 1, 'one scan job per interval');
    } finally {
      await Promise.all(replicas.map((queue) => closeQueue(queue)));
    }
  });
});

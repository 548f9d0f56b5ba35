/**
 * Recurring invoices through the API and the scheduler, with a clock the test sets (no sleeping):
 * month-end dates, the end after N, catch-up with its limit, placeholders in the organization's
 * locale, issue and its recorded failure, pause and resume, two schedulers at once, and visibility.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  Subjects,
  validateEvent,
  type Invoice,
  type Problem,
  type RecurringInvoice,
  type RecurringOccurrence,
  type RecurringOccurrenceCreated,
  type RecurringOccurrenceFailed,
} from '@invoice/contracts';
import { silentLogger, startServiceHarness, waitFor } from '@invoice/platform-testing';
import { runRecurring } from '../../src/application/recurring-scheduler.ts';
import { createDeps, closeDeps, type Deps } from '../../src/deps.ts';
import { service } from '../../src/service.ts';
import { line, organizationSnapshot, publishOrganization, seedTenant } from '../support/factories.ts';
import { waitForEvents, type Harness } from '../support/harness.ts';
import { createRecurring, invoiceCount, invoicesOf, TestClock } from '../support/recurring.ts';

const clock = new TestClock('2026-01-01T08:00:00Z');
let h: Harness;
before(async () => {
  h = await startServiceWithClock();
});
after(async () => {
  await h?.close();
});

async function startServiceWithClock(): Promise<Harness> {
  return startServiceHarness(service, {
    env: { RPC_TIMEOUT_MS: '300', RECURRING_CATCH_UP_LIMIT: '12' },
    adjustDeps: (deps) => ({ ...deps, clock }),
  }) as Promise<Harness>;
}

/** One scheduler wake at `at`. */
async function wake(at: string, deps: Deps = h.deps) {
  clock.set(at);
  return runRecurring(deps, { catchUpLimit: deps.config.RECURRING_CATCH_UP_LIMIT });
}

/** Publishes `catalog.client.deleted.v1` and waits until the replica is a tombstone. */
async function deleteClient(orgId: string, clientId: string): Promise<void> {
  await h.publish({
    type: Subjects.ClientDeleted,
    source: 'catalog',
    orgId,
    subject: clientId,
    data: { clientId, version: 2 },
  });
  await waitFor(async () => {
    const rows = await h.deps.orm.em
      .fork()
      .execute<{ deleted_at: string | null }[]>(
        'select deleted_at from invoicing.client_replicas where id = ?',
        [clientId],
      );
    return rows[0]?.deleted_at ?? undefined;
  });
}

async function occurrences(auth: Record<string, string>, id: string): Promise<RecurringOccurrence[]> {
  const response = await h.app.inject({
    method: 'GET',
    url: `/v1/recurring-invoices/${id}/occurrences`,
    headers: auth,
  });
  assert.equal(response.statusCode, 200, response.body);
  return response.json<{ items: RecurringOccurrence[] }>().items;
}

async function getRecurring(auth: Record<string, string>, id: string): Promise<RecurringInvoice> {
  const response = await h.app.inject({ method: 'GET', url: `/v1/recurring-invoices/${id}`, headers: auth });
  assert.equal(response.statusCode, 200, response.body);
  return response.json<RecurringInvoice>();
}

describe('recurring invoices: the schedule', () => {
  it('bills a monthly schedule from 31 January on the last day of each month', async () => {
    const { client, auth } = await seedTenant(h);
    const recurring = await createRecurring(h, auth, client.id);
    assert.equal(recurring.nextOccurrenceDate, '2026-01-31');
    assert.equal(recurring.status, 'active');

    const expected = ['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31', '2026-06-30'];
    // The day before the first occurrence, nothing is due.
    await wake('2026-01-30T23:59:00Z');
    assert.equal(await invoiceCount(h, client.id), 0);
    for (const date of expected) {
      await wake(`${date}T06:00:00Z`);
      await wake(`${date}T18:00:00Z`); // a second wake the same day changes nothing
    }
    const rows = await invoicesOf(h, recurring.id);
    assert.deepEqual(
      rows.map((row) => row.issueDate),
      expected,
    );
    assert.ok(rows.every((row) => row.status === 'draft' && row.invoiceStatus === 'draft'));
    assert.equal(await invoiceCount(h, client.id), expected.length);
    const after = await getRecurring(auth, recurring.id);
    assert.equal(after.nextOccurrenceDate, '2026-07-31');
    assert.equal(after.occurrencesCreated, 6);
  });

  it('creates exactly 3 invoices for a schedule that ends after 3, then completes', async () => {
    const { client, auth } = await seedTenant(h);
    const recurring = await createRecurring(h, auth, client.id, {
      schedule: { frequency: 'week', interval: 1, startDate: '2026-03-02', endAfterCount: 3 },
    });
    for (const at of ['2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23', '2026-04-30', '2027-01-01'])
      await wake(`${at}T09:00:00Z`);
    assert.equal(await invoiceCount(h, client.id), 3);
    assert.deepEqual(
      (await invoicesOf(h, recurring.id)).map((row) => row.issueDate),
      ['2026-03-02', '2026-03-09', '2026-03-16'],
    );
    const completed = await getRecurring(auth, recurring.id);
    assert.equal(completed.status, 'completed');
    assert.equal(completed.nextOccurrenceDate, null);
    const pause = await h.app.inject({
      method: 'POST',
      url: `/v1/recurring-invoices/${recurring.id}/pause`,
      headers: auth,
    });
    assert.equal(pause.statusCode, 409);
    assert.equal(pause.json<Problem>().code, 'RECURRING_COMPLETED');
  });

  it('catches up missed occurrences oldest first, at most the limit per wake', async () => {
    const { client, auth } = await seedTenant(h);
    const recurring = await createRecurring(h, auth, client.id, {
      schedule: { frequency: 'day', interval: 1, startDate: '2026-05-01' },
    });
    // Down for 30 days: 30 occurrences are due (1 to 30 May).
    await wake('2026-05-30T12:00:00Z');
    assert.equal(await invoiceCount(h, client.id), 12);
    await wake('2026-05-30T12:01:00Z');
    assert.equal(await invoiceCount(h, client.id), 24);
    await wake('2026-05-30T12:02:00Z');
    await wake('2026-05-30T12:03:00Z');
    const rows = await invoicesOf(h, recurring.id);
    assert.equal(rows.length, 30);
    assert.equal(rows[0]?.issueDate, '2026-05-01');
    assert.equal(rows.at(-1)?.issueDate, '2026-05-30');
    assert.equal((await getRecurring(auth, recurring.id)).nextOccurrenceDate, '2026-05-31');
  });

  it('renders the period placeholders in the organization’s locale, and publishes occurrence-created', async () => {
    const { client, auth } = await seedTenant(h); // the seller is in Germany
    const recurring = await createRecurring(h, auth, client.id, {
      lines: [line({ description: 'Wartung {month} ({period_start} – {period_end})' })],
      notes: 'Leistungszeitraum {period_start} bis {period_end}',
      schedule: { frequency: 'month', startDate: '2026-02-01' },
    });
    await wake('2026-02-01T10:00:00Z');
    const [occurrence] = await occurrences(auth, recurring.id);
    assert.ok(occurrence?.invoiceId);
    const invoice = (
      await h.app.inject({ method: 'GET', url: `/v1/invoices/${occurrence.invoiceId}`, headers: auth })
    ).json<Invoice>();
    assert.equal(invoice.lines[0]?.description, 'Wartung Februar 2026 (01.02.2026 – 28.02.2026)');
    assert.equal(invoice.notes, 'Leistungszeitraum 01.02.2026 bis 28.02.2026');
    assert.deepEqual(
      { sequence: occurrence.sequence, periodStart: occurrence.periodStart, periodEnd: occurrence.periodEnd },
      { sequence: 1, periodStart: '2026-02-01', periodEnd: '2026-02-28' },
    );

    const [event] = await waitForEvents<RecurringOccurrenceCreated>(
      h,
      Subjects.RecurringOccurrenceCreated,
      recurring.id,
    );
    assert.deepEqual(validateEvent(Subjects.RecurringOccurrenceCreated, event), []);
    assert.deepEqual(event?.data, {
      scheduleId: recurring.id,
      sequence: 1,
      occurrenceDate: '2026-02-01',
      periodStart: '2026-02-01',
      periodEnd: '2026-02-28',
      action: 'draft',
      invoiceId: occurrence.invoiceId,
    });
  });

  it('uses an explicit locale over the organization’s', async () => {
    const { client, auth } = await seedTenant(h);
    const recurring = await createRecurring(h, auth, client.id, {
      locale: 'en-US',
      schedule: { frequency: 'month', startDate: '2026-03-01' },
    });
    await wake('2026-03-01T10:00:00Z');
    const [occurrence] = await occurrences(auth, recurring.id);
    const invoice = (
      await h.app.inject({ method: 'GET', url: `/v1/invoices/${occurrence?.invoiceId}`, headers: auth })
    ).json<Invoice>();
    assert.equal(invoice.lines[0]?.description, 'Hosting March 2026');
  });
});

describe('recurring invoices: issuing and failures', () => {
  it('issues each occurrence’s invoice when the action is issue', async () => {
    const { client, auth } = await seedTenant(h);
    const recurring = await createRecurring(h, auth, client.id, {
      action: 'issue',
      schedule: { frequency: 'month', startDate: '2026-04-15' },
    });
    await wake('2026-05-20T10:00:00Z');
    const rows = await invoicesOf(h, recurring.id);
    assert.deepEqual(
      rows.map((row) => [row.issueDate, row.status, row.invoiceStatus]),
      [
        ['2026-04-15', 'issued', 'issued'],
        ['2026-05-15', 'issued', 'issued'],
      ],
    );
  });

  it('records a refused issue on the occurrence and keeps the draft', async () => {
    const { orgId, client, auth } = await seedTenant(h);
    // A seller without a name cannot issue (SELLER_INCOMPLETE); drafts are still possible.
    await publishOrganization(h, organizationSnapshot(orgId, { name: ' ', version: 2 }));
    const recurring = await createRecurring(h, auth, client.id, {
      action: 'issue_and_send',
      schedule: { frequency: 'month', startDate: '2026-06-01' },
    });
    await wake('2026-06-01T10:00:00Z');
    const [occurrence] = await occurrences(auth, recurring.id);
    assert.equal(occurrence?.status, 'failed');
    assert.equal(occurrence?.failure?.code, 'SELLER_INCOMPLETE');
    assert.ok(occurrence?.invoiceId, 'the draft is kept and named');
    const draft = await h.app.inject({
      method: 'GET',
      url: `/v1/invoices/${occurrence.invoiceId}`,
      headers: auth,
    });
    assert.equal(draft.json<Invoice>().status, 'draft');
    const [failed] = await waitForEvents<RecurringOccurrenceFailed>(
      h,
      Subjects.RecurringOccurrenceFailed,
      recurring.id,
    );
    assert.equal(failed?.data.code, 'SELLER_INCOMPLETE');
    assert.equal(failed?.data.invoiceId, occurrence.invoiceId);
    // The schedule moves on; a later wake neither retries nor duplicates the failed occurrence.
    await wake('2026-06-02T10:00:00Z');
    assert.equal(await invoiceCount(h, client.id), 1);
    assert.equal((await getRecurring(auth, recurring.id)).nextOccurrenceDate, '2026-07-01');
  });

  it('records an occurrence whose client was deleted as failed without an invoice, and moves on', async () => {
    const { orgId, client, auth } = await seedTenant(h);
    const recurring = await createRecurring(h, auth, client.id, {
      schedule: { frequency: 'month', startDate: '2026-07-01' },
    });
    await deleteClient(orgId, client.id);
    await wake('2026-07-01T10:00:00Z');
    const [occurrence] = await occurrences(auth, recurring.id);
    assert.equal(occurrence?.status, 'failed');
    assert.equal(occurrence?.failure?.code, 'CLIENT_NOT_FOUND');
    assert.equal(occurrence?.invoiceId, null);
    assert.equal((await getRecurring(auth, recurring.id)).nextOccurrenceDate, '2026-08-01');
  });
});

describe('recurring invoices: pause, resume, edit', () => {
  it('creates nothing while paused and skips what fell due meanwhile on resume', async () => {
    const { client, auth } = await seedTenant(h);
    const recurring = await createRecurring(h, auth, client.id, {
      schedule: { frequency: 'month', startDate: '2026-01-10' },
    });
    await wake('2026-01-10T10:00:00Z');
    clock.set('2026-01-20T10:00:00Z');
    const paused = await h.app.inject({
      method: 'POST',
      url: `/v1/recurring-invoices/${recurring.id}/pause`,
      headers: auth,
    });
    assert.equal(paused.statusCode, 200, paused.body);
    assert.equal(paused.json<RecurringInvoice>().status, 'paused');
    const again = await h.app.inject({
      method: 'POST',
      url: `/v1/recurring-invoices/${recurring.id}/pause`,
      headers: auth,
    });
    assert.equal(again.json<Problem>().code, 'RECURRING_NOT_ACTIVE');
    await wake('2026-04-01T10:00:00Z');
    assert.equal(await invoiceCount(h, client.id), 1);

    const resumed = await h.app.inject({
      method: 'POST',
      url: `/v1/recurring-invoices/${recurring.id}/resume`,
      headers: auth,
    });
    assert.equal(resumed.statusCode, 200, resumed.body);
    assert.equal(resumed.json<RecurringInvoice>().nextOccurrenceDate, '2026-04-10');
    const twice = await h.app.inject({
      method: 'POST',
      url: `/v1/recurring-invoices/${recurring.id}/resume`,
      headers: auth,
    });
    assert.equal(twice.json<Problem>().code, 'RECURRING_NOT_PAUSED');
    await wake('2026-04-10T10:00:00Z');
    assert.deepEqual(
      (await invoicesOf(h, recurring.id)).map((row) => row.issueDate),
      ['2026-01-10', '2026-04-10'],
    );
  });

  it('edits the template for later occurrences and the schedule only before the first', async () => {
    const { client, auth } = await seedTenant(h);
    const recurring = await createRecurring(h, auth, client.id, {
      schedule: { frequency: 'month', startDate: '2026-09-01' },
    });
    const url = `/v1/recurring-invoices/${recurring.id}`;
    const early = await h.app.inject({
      method: 'PATCH',
      url,
      headers: { ...auth, 'if-match': `"${recurring.version}"` },
      payload: { schedule: { frequency: 'month', startDate: '2026-09-05' } },
    });
    assert.equal(early.statusCode, 200, early.body);
    assert.equal(early.json<RecurringInvoice>().nextOccurrenceDate, '2026-09-05');
    const stale = await h.app.inject({
      method: 'PATCH',
      url,
      headers: { ...auth, 'if-match': `"${recurring.version}"` },
      payload: { notes: 'x' },
    });
    assert.equal(stale.statusCode, 412);

    await wake('2026-09-05T10:00:00Z');
    const late = await h.app.inject({
      method: 'PATCH',
      url,
      headers: auth,
      payload: { schedule: { frequency: 'week', startDate: '2026-09-05' } },
    });
    assert.equal(late.statusCode, 409);
    assert.equal(late.json<Problem>().code, 'RECURRING_SCHEDULE_STARTED');
    const template = await h.app.inject({
      method: 'PATCH',
      url,
      headers: auth,
      payload: { lines: [line({ description: 'Support {month}', unitPrice: '50.00' })] },
    });
    assert.equal(template.statusCode, 200, template.body);
    await wake('2026-10-05T10:00:00Z');
    const [, second] = await occurrences(auth, recurring.id);
    const invoice = (
      await h.app.inject({ method: 'GET', url: `/v1/invoices/${second?.invoiceId}`, headers: auth })
    ).json<Invoice>();
    assert.equal(invoice.lines[0]?.description, 'Support Oktober 2026');
  });

  it('rejects a bad schedule naming the field, and a deleted client', async () => {
    const { auth, client } = await seedTenant(h);
    const weekly = await h.app.inject({
      method: 'POST',
      url: '/v1/recurring-invoices',
      headers: auth,
      payload: {
        clientId: client.id,
        lines: [line()],
        schedule: { frequency: 'week', dayOfMonth: 5, startDate: '2026-01-01' },
      },
    });
    assert.equal(weekly.statusCode, 400);
    assert.equal(weekly.json<Problem>().errors?.[0]?.field, '/schedule/dayOfMonth');
    const unknownFrequency = await h.app.inject({
      method: 'POST',
      url: '/v1/recurring-invoices',
      headers: auth,
      payload: {
        clientId: client.id,
        lines: [line()],
        schedule: { frequency: 'year', startDate: '2026-01-01' },
      },
    });
    assert.equal(unknownFrequency.statusCode, 400);
    const gone = await seedTenant(h);
    await deleteClient(gone.orgId, gone.client.id);
    const deletedClient = await h.app.inject({
      method: 'POST',
      url: '/v1/recurring-invoices',
      headers: gone.auth,
      payload: {
        clientId: gone.client.id,
        lines: [line()],
        schedule: { frequency: 'month', startDate: '2026-01-01' },
      },
    });
    assert.equal(deletedClient.statusCode, 422, deletedClient.body);
    assert.equal(deletedClient.json<Problem>().code, 'CLIENT_NOT_FOUND');
    assert.equal(deletedClient.json<Problem>().errors?.[0]?.field, '/clientId');
  });

  it('replays a create with the same Idempotency-Key instead of creating a second schedule', async () => {
    const { client, auth } = await seedTenant(h);
    const headers = { ...auth, 'idempotency-key': randomUUID() };
    const payload = {
      clientId: client.id,
      lines: [line()],
      schedule: { frequency: 'month', startDate: '2026-01-01' },
    };
    const first = await h.app.inject({ method: 'POST', url: '/v1/recurring-invoices', headers, payload });
    const retry = await h.app.inject({ method: 'POST', url: '/v1/recurring-invoices', headers, payload });
    assert.equal(first.statusCode, 201);
    assert.equal(retry.headers['idempotent-replayed'], 'true');
    assert.equal(retry.json<RecurringInvoice>().id, first.json<RecurringInvoice>().id);
  });
});

describe('recurring invoices: two schedulers at once', () => {
  it('gives exactly one issued invoice and one send request per occurrence', async () => {
    const { client, auth } = await seedTenant(h);
    const schedules = await Promise.all(
      Array.from({ length: 4 }, () =>
        createRecurring(h, auth, client.id, {
          action: 'issue_and_send',
          schedule: { frequency: 'week', interval: 1, startDate: '2026-08-03', endAfterCount: 5 },
        }),
      ),
    );
    const replica = { ...(await createDeps(h.config, silentLogger())), clock };
    try {
      clock.set('2026-09-30T10:00:00Z');
      const options = { catchUpLimit: 12 };
      await Promise.all([
        runRecurring(h.deps, options),
        runRecurring(replica, options),
        runRecurring(h.deps, options),
        runRecurring(replica, options),
      ]);
    } finally {
      await closeDeps(replica);
    }
    assert.equal(await invoiceCount(h, client.id), 4 * 5);
    const counts = await h.deps.orm.em.fork().execute<{ dup: string }[]>(
      `select count(*)::text as dup from invoicing.invoices where client_id = ?
       group by issue_date, (select schedule_id from invoicing.recurring_occurrences o where o.invoice_id = invoices.id)
       having count(*) > 1`,
      [client.id],
    );
    assert.deepEqual(counts, [], 'no occurrence has two invoices');
    for (const schedule of schedules) {
      const rows = await invoicesOf(h, schedule.id);
      assert.equal(rows.length, 5);
      assert.ok(
        rows.every((row) => row.status === 'sent' && row.invoiceStatus === 'issued'),
        JSON.stringify(rows),
      );
    }
    const sends = await h.events<{ invoiceId: string }>(Subjects.InvoiceSendRequested);
    const ids = new Set(
      (await Promise.all(schedules.map((s) => invoicesOf(h, s.id)))).flat().map((r) => r.invoiceId),
    );
    const mine = sends.filter((event) => ids.has(event.data.invoiceId));
    assert.equal(mine.length, 20, 'one send request per invoice');
    assert.equal(new Set(mine.map((event) => event.data.invoiceId)).size, 20);
  });
});

describe('recurring invoices: who sees them', () => {
  it('shows a member only the recurring invoices they created unless they have all_invoices_access', async () => {
    const { orgId, client } = await seedTenant(h);
    const auth = async (role: string, permissions: string[] = []) => ({
      authorization: `Bearer ${await h.token(orgId, { role, permissions, userId: randomUUID() })}`,
    });
    const alice = await auth('member');
    const bob = await auth('member');
    const auditor = await auth('member', ['all_invoices_access']);
    const mine = await createRecurring(h, alice, client.id);
    const theirs = await createRecurring(h, bob, client.id);
    const get = (headers: Record<string, string>, id: string, path = '') =>
      h.app.inject({ method: 'GET', url: `/v1/recurring-invoices/${id}${path}`, headers });
    assert.equal((await get(alice, mine.id)).statusCode, 200);
    assert.equal((await get(alice, theirs.id)).statusCode, 404);
    assert.equal((await get(alice, theirs.id, '/occurrences')).statusCode, 404);
    assert.equal((await get(auditor, theirs.id)).statusCode, 200);
    const pause = await h.app.inject({
      method: 'POST',
      url: `/v1/recurring-invoices/${theirs.id}/pause`,
      headers: alice,
    });
    assert.equal(pause.statusCode, 404);
    const list = async (headers: Record<string, string>) =>
      (await h.app.inject({ method: 'GET', url: '/v1/recurring-invoices', headers }))
        .json<{ items: { id: string }[] }>()
        .items.map((item) => item.id);
    assert.deepEqual(await list(alice), [mine.id]);
    assert.deepEqual((await list(auditor)).sort(), [mine.id, theirs.id].sort());

    // Another organization's id is 404, for reads and writes.
    const stranger = await seedTenant(h);
    assert.equal((await get(stranger.auth, mine.id)).statusCode, 404);
    const del = await h.app.inject({
      method: 'DELETE',
      url: `/v1/recurring-invoices/${mine.id}`,
      headers: stranger.auth,
    });
    assert.equal(del.statusCode, 404);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CreditNote, Invoice, NumberSeries, Problem } from '@invoice/contracts';
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
const today = () => new Date().toISOString().slice(0, 10);

async function draft(auth: Auth, clientId: string, issueDate: string): Promise<Invoice> {
  const response = await h.app.inject({
    method: 'POST',
    url: '/v1/invoices',
    headers: auth,
    payload: { clientId, issueDate, lines: [line()] },
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json<Invoice>();
}

async function issueNew(auth: Auth, clientId: string, issueDate: string): Promise<string> {
  const { id } = await draft(auth, clientId, issueDate);
  const response = await h.app.inject({ method: 'POST', url: `/v1/invoices/${id}/issue`, headers: auth });
  assert.equal(response.statusCode, 200, response.body);
  return response.json<Invoice>().number ?? '';
}

function put(auth: Auth, documentType: string, pattern: string, reset: string) {
  return h.app.inject({
    method: 'PUT',
    url: `/v1/number-series/${documentType}`,
    headers: auth,
    payload: { pattern, reset },
  });
}

describe('number series', () => {
  it('shows the default series of each document type with its next number', async () => {
    const { auth } = await seedTenant(h);
    const response = await h.app.inject({
      method: 'GET',
      url: '/v1/number-series?date=2026-06-15',
      headers: auth,
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(
      response
        .json<{ items: NumberSeries[] }>()
        .items.map((s) => [s.documentType, s.pattern, s.reset, s.nextNumber, s.custom]),
      [
        ['invoice', 'INV-{YYYY}-{SEQ:6}', 'yearly', 'INV-2026-000001', false],
        ['credit_note', 'CN-{YYYY}-{SEQ:6}', 'yearly', 'CN-2026-000001', false],
        ['quote', 'QUO-{YYYY}-{SEQ:6}', 'yearly', 'QUO-2026-000001', false],
      ],
    );
  });

  it('lets only admins change a number series or the invoice settings (403 for a member)', async () => {
    const { orgId } = await seedTenant(h);
    const member = { authorization: `Bearer ${await h.token(orgId, { role: 'member' })}` };
    const series = await put(member, 'invoice', 'M{YYYY}-{SEQ:4}', 'yearly');
    assert.equal(series.statusCode, 403, series.body);
    assert.equal(series.json().code, 'FORBIDDEN');
    const current = await h.app.inject({ method: 'GET', url: '/v1/invoice-settings', headers: member });
    const { reminders, paymentReceipts } = current.json<{ reminders: unknown; paymentReceipts: boolean }>();
    const settings = await h.app.inject({
      method: 'PUT',
      url: '/v1/invoice-settings',
      headers: member,
      payload: { reminders, paymentReceipts: !paymentReceipts },
    });
    assert.equal(settings.statusCode, 403, settings.body);
    const unchanged = await h.app.inject({
      method: 'GET',
      url: '/v1/number-series/invoice',
      headers: member,
    });
    assert.equal(unchanged.json().pattern, 'INV-{YYYY}-{SEQ:6}');
  });

  it('gives 50 concurrent issues in one series 50 consecutive numbers of its pattern', async () => {
    const { client, auth } = await seedTenant(h);
    assert.equal((await put(auth, 'invoice', 'B{YY}{MM}-{SEQ:3}', 'monthly')).statusCode, 200);
    const drafts = await Promise.all(Array.from({ length: 50 }, () => draft(auth, client.id, '2026-07-10')));
    const responses = await Promise.all(
      drafts.map((d) => h.app.inject({ method: 'POST', url: `/v1/invoices/${d.id}/issue`, headers: auth })),
    );
    for (const response of responses) assert.equal(response.statusCode, 200, response.body);
    const numbers = responses.map((r) => r.json<Invoice>().number).sort();
    assert.deepEqual(
      numbers,
      Array.from({ length: 50 }, (_, i) => `B2607-${String(i + 1).padStart(3, '0')}`),
    );
    const next = await h.app.inject({
      method: 'GET',
      url: '/v1/number-series/invoice?date=2026-07-31',
      headers: auth,
    });
    assert.equal(next.json<NumberSeries>().nextNumber, 'B2607-051');
    const august = await h.app.inject({
      method: 'GET',
      url: '/v1/number-series/invoice?date=2026-08-01',
      headers: auth,
    });
    assert.equal(august.json<NumberSeries>().nextNumber, 'B2608-001', 'a monthly series restarts each month');
  });

  it('never repeats a number when the pattern and reset change mid-year', async () => {
    const { client, auth } = await seedTenant(h);
    const date = today();
    const year = date.slice(0, 4);
    const month = date.slice(5, 7);
    const numbers = [await issueNew(auth, client.id, date), await issueNew(auth, client.id, date)];
    assert.equal((await put(auth, 'invoice', 'R{YYYY}-{SEQ:4}', 'yearly')).statusCode, 200);
    numbers.push(await issueNew(auth, client.id, date));
    const monthly = await put(auth, 'invoice', 'R{YYYY}{MM}-{SEQ:4}', 'monthly');
    assert.equal(monthly.json<NumberSeries>().nextNumber, `R${year}${month}-0004`);
    numbers.push(await issueNew(auth, client.id, date));
    assert.equal((await put(auth, 'invoice', 'INV-{YYYY}-{SEQ:6}', 'yearly')).statusCode, 200);
    numbers.push(await issueNew(auth, client.id, date));
    assert.deepEqual(numbers, [
      `INV-${year}-000001`,
      `INV-${year}-000002`,
      `R${year}-0003`,
      `R${year}${month}-0004`,
      `INV-${year}-000005`,
    ]);
    assert.equal(new Set(numbers).size, numbers.length);
  });

  it('answers 409 NUMBER_TAKEN, using up nothing, when a new pattern reproduces a number already issued', async () => {
    const { client, auth } = await seedTenant(h);
    await put(auth, 'invoice', 'N{YY}-{SEQ:1}', 'yearly');
    assert.equal(await issueNew(auth, client.id, '2025-05-01'), 'N25-1');
    // Literal "25" without a year token: the new counter starts at 1 and gives N25-1 again.
    await put(auth, 'invoice', 'N25-{SEQ:1}', 'never');
    const { id } = await draft(auth, client.id, '2026-05-01');
    const clash = await h.app.inject({ method: 'POST', url: `/v1/invoices/${id}/issue`, headers: auth });
    assert.equal(clash.statusCode, 409, clash.body);
    assert.equal(clash.json<Problem>().code, 'NUMBER_TAKEN');
    const still = await h.app.inject({ method: 'GET', url: `/v1/invoices/${id}`, headers: auth });
    assert.equal(still.json<Invoice>().status, 'draft');
    await put(auth, 'invoice', 'M-{SEQ:3}', 'never');
    const retried = await h.app.inject({ method: 'POST', url: `/v1/invoices/${id}/issue`, headers: auth });
    assert.equal(retried.json<Invoice>().number, 'M-001');
  });

  it('refuses a pattern without {SEQ:n} or without the period it restarts in, naming /pattern', async () => {
    const { auth } = await seedTenant(h);
    for (const [pattern, reset] of [
      ['INV-{YYYY}', 'yearly'],
      ['INV-{SEQ:6}', 'yearly'],
      ['INV-{YYYY}-{SEQ:6}', 'monthly'],
      ['INV {SEQ:6}', 'never'],
    ] as const) {
      const response = await put(auth, 'invoice', pattern, reset);
      assert.equal(response.statusCode, 400, pattern);
      assert.equal(response.json<Problem>().errors?.[0]?.field, '/pattern');
    }
    const unknown = await put(auth, 'receipt', 'R-{SEQ:3}', 'never');
    assert.equal(unknown.statusCode, 400);
  });

  it('numbers credit notes in their own series, each organization separately', async () => {
    const one = await seedTenant(h);
    const other = await seedTenant(h);
    assert.equal((await put(one.auth, 'credit_note', 'GS-{SEQ:3}', 'never')).statusCode, 200);
    const { id } = await draft(one.auth, one.client.id, '2026-06-15');
    await h.app.inject({ method: 'POST', url: `/v1/invoices/${id}/issue`, headers: one.auth });
    const note = await h.app.inject({
      method: 'POST',
      url: `/v1/invoices/${id}/credit-notes`,
      headers: one.auth,
      payload: { issueDate: '2026-06-20', lines: [{ position: 1, quantity: '1' }] },
    });
    assert.equal(note.statusCode, 201, note.body);
    assert.equal(note.json<CreditNote>().number, 'GS-001');
    const others = await h.app.inject({
      method: 'GET',
      url: '/v1/number-series/credit_note',
      headers: other.auth,
    });
    assert.equal(others.json<NumberSeries>().pattern, 'CN-{YYYY}-{SEQ:6}');
  });
});

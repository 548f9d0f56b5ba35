/**
 * The quote lifecycle: drafts priced like invoices, send (numbered from the quote series, frozen,
 * `invoicing.quote.sent.v1`), accept and decline (who and when), expiry by the job, convert into a
 * draft invoice exactly once, and every refused transition with its code.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  Subjects,
  validateEvent,
  type Invoice,
  type Problem,
  type Quote,
  type QuoteConverted,
  type QuoteDecided,
  type QuoteSent,
} from '@invoice/contracts';
import { waitFor } from '@invoice/platform-testing';
import { expireQuotes } from '../../src/application/quote-decisions.ts';
import { startHarness, waitForEvents, type Harness } from '../support/harness.ts';
import { line, seedTenant } from '../support/factories.ts';

let h: Harness;
before(async () => {
  h = await startHarness({ QUOTE_EXPIRY_INTERVAL_MS: '1000' });
});
after(async () => {
  await h?.close();
});

type Auth = Record<string, string>;
const today = () => new Date().toISOString().slice(0, 10);
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

function post(auth: Auth, url: string, payload?: Record<string, unknown>) {
  return h.app.inject({ method: 'POST', url, headers: auth, ...(payload ? { payload } : {}) });
}

async function draftQuote(
  auth: Auth,
  clientId: string,
  overrides: Record<string, unknown> = {},
): Promise<Quote> {
  const response = await post(auth, '/v1/quotes', {
    clientId,
    issueDate: today(),
    validUntil: addDays(today(), 14),
    lines: [line(), line({ description: 'Hosting', quantity: '1', unitCode: 'MON', unitPrice: '10.00' })],
    ...overrides,
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json<Quote>();
}

async function sentQuote(
  auth: Auth,
  clientId: string,
  overrides: Record<string, unknown> = {},
): Promise<Quote> {
  const quote = await draftQuote(auth, clientId, overrides);
  const sent = await post(auth, `/v1/quotes/${quote.id}/send`);
  assert.equal(sent.statusCode, 202, sent.body);
  return getQuote(auth, quote.id);
}

async function getQuote(auth: Auth, id: string): Promise<Quote> {
  const response = await h.app.inject({ method: 'GET', url: `/v1/quotes/${id}`, headers: auth });
  assert.equal(response.statusCode, 200, response.body);
  return response.json<Quote>();
}

function assertProblem(response: { statusCode: number; body: string }, status: number, code: string) {
  assert.equal(response.statusCode, status, response.body);
  assert.equal(JSON.parse(response.body).code, code, response.body);
}

const subjectOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).sub;

describe('quote drafts', () => {
  it('prices a draft with the invoice engine, defaults its validity and edits it', async () => {
    const { client, auth } = await seedTenant(h);
    const created = await post(auth, '/v1/quotes', {
      clientId: client.id,
      issueDate: '2026-06-01',
      lines: [line()],
    });
    assert.equal(created.statusCode, 201, created.body);
    const quote = created.json<Quote>();
    assert.equal(quote.status, 'draft');
    assert.equal(quote.number, null);
    assert.equal(quote.validUntil, '2026-07-01'); // 30 days by default
    // 3 × 19.99 = 59.97 net, 19 % VAT 11.39 → 71.36 (the same engine as invoices).
    assert.equal(quote.totals.net, '59.97');
    assert.equal(quote.totals.vat, '11.39');
    assert.equal(quote.totals.gross, '71.36');
    assert.equal(created.headers.etag, '"1"');

    const patched = await h.app.inject({
      method: 'PATCH',
      url: `/v1/quotes/${quote.id}`,
      headers: { ...auth, 'if-match': '"1"' },
      payload: { lines: [line({ quantity: '1', unitPrice: '100' })], validUntil: '2026-06-30' },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json<Quote>().totals.gross, '119.00');
    assert.equal(patched.json<Quote>().validUntil, '2026-06-30');
    assert.equal(patched.json<Quote>().version, 2);

    const stale = await h.app.inject({
      method: 'PATCH',
      url: `/v1/quotes/${quote.id}`,
      headers: { ...auth, 'if-match': '"1"' },
      payload: { notes: 'late' },
    });
    assertProblem(stale, 412, 'PRECONDITION_FAILED');

    const events = await waitForEvents(h, Subjects.QuoteUpdated, quote.id, 2);
    for (const event of events) assert.deepEqual(validateEvent(Subjects.QuoteUpdated, event), []);
  });

  it('refuses a validity before the quote date, naming the field', async () => {
    const { client, auth } = await seedTenant(h);
    const response = await post(auth, '/v1/quotes', {
      clientId: client.id,
      issueDate: '2026-06-10',
      validUntil: '2026-06-01',
      lines: [line()],
    });
    assert.equal(response.statusCode, 400, response.body);
    assert.equal(response.json<Problem>().errors?.[0]?.field, '/validUntil');
  });

  it('lists quotes newest first with filters and a cursor', async () => {
    const { client, auth } = await seedTenant(h);
    const first = await draftQuote(auth, client.id);
    const second = await draftQuote(auth, client.id);
    const third = await sentQuote(auth, client.id);
    const page1 = await h.app.inject({ method: 'GET', url: '/v1/quotes?limit=2', headers: auth });
    assert.equal(page1.statusCode, 200, page1.body);
    const body1 = page1.json<{ items: Quote[]; nextCursor: string }>();
    assert.deepEqual(
      body1.items.map((q) => q.id),
      [third.id, second.id],
    );
    const page2 = await h.app.inject({
      method: 'GET',
      url: `/v1/quotes?limit=2&cursor=${body1.nextCursor}`,
      headers: auth,
    });
    assert.deepEqual(
      page2.json<{ items: Quote[]; nextCursor: string | null }>().items.map((q) => q.id),
      [first.id],
    );
    assert.equal(page2.json<{ nextCursor: string | null }>().nextCursor, null);
    const sent = await h.app.inject({ method: 'GET', url: '/v1/quotes?status=sent', headers: auth });
    assert.deepEqual(
      sent.json<{ items: Quote[] }>().items.map((q) => q.id),
      [third.id],
    );
  });

  it('deletes a draft but not a sent quote', async () => {
    const { client, auth } = await seedTenant(h);
    const draft = await draftQuote(auth, client.id);
    const deleted = await h.app.inject({ method: 'DELETE', url: `/v1/quotes/${draft.id}`, headers: auth });
    assert.equal(deleted.statusCode, 204, deleted.body);
    const gone = await h.app.inject({ method: 'GET', url: `/v1/quotes/${draft.id}`, headers: auth });
    assert.equal(gone.statusCode, 404);
    const sent = await sentQuote(auth, client.id);
    const refused = await h.app.inject({ method: 'DELETE', url: `/v1/quotes/${sent.id}`, headers: auth });
    assertProblem(refused, 409, 'QUOTE_NOT_DRAFT');
  });
});

describe('sending a quote', () => {
  it('numbers it from the quote series, freezes parties and publishes quote.sent with a Quote snapshot', async () => {
    const { client, auth, token } = await seedTenant(h);
    const draft = await draftQuote(auth, client.id);
    const response = await post(auth, `/v1/quotes/${draft.id}/send`);
    assert.equal(response.statusCode, 202, response.body);
    const { requestId } = response.json<{ requestId: string }>();
    const quote = await getQuote(auth, draft.id);
    assert.equal(quote.status, 'sent');
    assert.match(quote.number ?? '', new RegExp(`^QUO-${today().slice(0, 4)}-000001$`));
    assert.equal(quote.seller?.name, 'Seller AG');
    assert.equal(quote.buyer?.name, client.name);
    assert.ok(quote.sentAt);

    const [event] = await waitForEvents<QuoteSent>(h, Subjects.QuoteSent, draft.id);
    assert.ok(event);
    assert.deepEqual(validateEvent(Subjects.QuoteSent, event), []);
    assert.equal(event.data.requestId, requestId);
    assert.equal(event.data.quote.type, 'quote');
    assert.equal(event.data.quote.number, quote.number);
    assert.equal(event.data.quote.version, 1);
    assert.equal((event.data.quote as { validUntil?: string }).validUntil, quote.validUntil);
    assert.equal(event.data.quote.dueDate, undefined);
    assert.deepEqual(event.data.to, [client.email]);
    assert.equal(event.data.gross, quote.totals.gross);
    assert.equal(event.data.createdBy, subjectOf(token));

    // The second quote takes the next number; a resend keeps the number and document version.
    const other = await sentQuote(auth, client.id);
    assert.match(other.number ?? '', /-000002$/);
    const again = await post(auth, `/v1/quotes/${draft.id}/send`, { to: ['Buyer@Example.com'] });
    assert.equal(again.statusCode, 202, again.body);
    const events = await waitForEvents<QuoteSent>(h, Subjects.QuoteSent, draft.id, 2);
    assert.deepEqual(events[1]?.data.to, ['buyer@example.com']);
    assert.equal(events[1]?.data.quote.version, 1);
    assert.equal((await getQuote(auth, draft.id)).number, quote.number);
  });

  it('uses the organization’s own quote number series', async () => {
    const { client, auth } = await seedTenant(h);
    const series = await h.app.inject({ method: 'GET', url: '/v1/number-series/quote', headers: auth });
    assert.equal(series.statusCode, 200, series.body);
    assert.equal(series.json<{ pattern: string }>().pattern, 'QUO-{YYYY}-{SEQ:6}');
    const put = await h.app.inject({
      method: 'PUT',
      url: '/v1/number-series/quote',
      headers: auth,
      payload: { pattern: 'OFFER-{YY}-{SEQ:3}', reset: 'yearly' },
    });
    assert.equal(put.statusCode, 200, put.body);
    const quote = await sentQuote(auth, client.id);
    assert.equal(quote.number, `OFFER-${today().slice(2, 4)}-001`);
  });

  it('refuses to edit a sent quote, and to send a quote without lines or past its validity', async () => {
    const { client, auth } = await seedTenant(h);
    const sent = await sentQuote(auth, client.id);
    const edit = await h.app.inject({
      method: 'PATCH',
      url: `/v1/quotes/${sent.id}`,
      headers: auth,
      payload: { notes: 'changed' },
    });
    assertProblem(edit, 409, 'QUOTE_NOT_DRAFT');
    const empty = await draftQuote(auth, client.id, { lines: [] });
    assertProblem(await post(auth, `/v1/quotes/${empty.id}/send`), 422, 'EMPTY_LINES');
    assert.equal((await getQuote(auth, empty.id)).number, null);
    const stale = await draftQuote(auth, client.id, { issueDate: '2026-01-01', validUntil: '2026-01-31' });
    assertProblem(await post(auth, `/v1/quotes/${stale.id}/send`), 409, 'QUOTE_EXPIRED');
  });
});

describe('accepting, declining and expiry', () => {
  it('records who accepted and when, once', async () => {
    const { orgId, client } = await seedTenant(h);
    const userId = randomUUID();
    const auth = { authorization: `Bearer ${await h.token(orgId, { userId, role: 'owner' })}` };
    const quote = await sentQuote(auth, client.id);
    const accepted = await post(auth, `/v1/quotes/${quote.id}/accept`);
    assert.equal(accepted.statusCode, 200, accepted.body);
    const body = accepted.json<Quote>();
    assert.equal(body.status, 'accepted');
    assert.equal(body.acceptedBy, userId);
    assert.ok(body.acceptedAt && Date.now() - Date.parse(body.acceptedAt) < 60_000);
    const [event] = await waitForEvents<QuoteDecided>(h, Subjects.QuoteAccepted, quote.id);
    assert.deepEqual(validateEvent(Subjects.QuoteAccepted, event), []);
    assert.equal(event?.data.by, userId);

    assertProblem(await post(auth, `/v1/quotes/${quote.id}/accept`), 409, 'QUOTE_NOT_SENT');
    assertProblem(await post(auth, `/v1/quotes/${quote.id}/decline`), 409, 'QUOTE_NOT_SENT');
    assertProblem(await post(auth, `/v1/quotes/${quote.id}/send`), 409, 'QUOTE_NOT_DRAFT');
  });

  it('records who declined, when and why; a declined quote neither converts nor is accepted', async () => {
    const { orgId, client } = await seedTenant(h);
    const userId = randomUUID();
    const auth = { authorization: `Bearer ${await h.token(orgId, { userId, role: 'owner' })}` };
    const quote = await sentQuote(auth, client.id);
    const declined = await post(auth, `/v1/quotes/${quote.id}/decline`, { reason: 'Too expensive' });
    assert.equal(declined.statusCode, 200, declined.body);
    assert.equal(declined.json<Quote>().status, 'declined');
    assert.equal(declined.json<Quote>().declinedBy, userId);
    assert.equal(declined.json<Quote>().declineReason, 'Too expensive');
    const [event] = await waitForEvents<QuoteDecided>(h, Subjects.QuoteDeclined, quote.id);
    assert.equal(event?.data.reason, 'Too expensive');
    assertProblem(await post(auth, `/v1/quotes/${quote.id}/accept`), 409, 'QUOTE_NOT_SENT');
    assertProblem(await post(auth, `/v1/quotes/${quote.id}/convert`), 409, 'QUOTE_NOT_ACCEPTED');
  });

  it('refuses to accept, decline or convert a draft', async () => {
    const { client, auth } = await seedTenant(h);
    const draft = await draftQuote(auth, client.id);
    assertProblem(await post(auth, `/v1/quotes/${draft.id}/accept`), 409, 'QUOTE_NOT_SENT');
    assertProblem(await post(auth, `/v1/quotes/${draft.id}/decline`), 409, 'QUOTE_NOT_SENT');
    assertProblem(await post(auth, `/v1/quotes/${draft.id}/convert`), 409, 'QUOTE_NOT_ACCEPTED');
  });

  it('expires a sent quote after its validity, once however often the job runs, and refuses to accept it', async () => {
    const { client, auth } = await seedTenant(h);
    const quote = await sentQuote(auth, client.id, { validUntil: today() });
    const untouched = await draftQuote(auth, client.id, { validUntil: today() });
    // On its last valid day nothing happens; the next day it expires, and only once.
    await expireQuotes(h.deps, { now: new Date() });
    assert.equal((await getQuote(auth, quote.id)).status, 'sent');
    const tomorrow = new Date(Date.parse(`${addDays(today(), 1)}T08:00:00Z`));
    const [first, second] = await Promise.all([
      expireQuotes(h.deps, { now: tomorrow }),
      expireQuotes(h.deps, { now: tomorrow }),
    ]);
    // Two concurrent runs expire it once between them; a third finds nothing left.
    assert.equal((first?.expired ?? 0) + (second?.expired ?? 0), 1);
    assert.equal((await expireQuotes(h.deps, { now: tomorrow })).expired, 0);
    const expired = await getQuote(auth, quote.id);
    assert.equal(expired.status, 'expired');
    assert.ok(expired.expiredAt);
    assert.equal((await getQuote(auth, untouched.id)).status, 'draft');
    const events = await waitForEvents<QuoteDecided>(h, Subjects.QuoteExpired, quote.id);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal((await h.events(Subjects.QuoteExpired)).filter((e) => e.subject === quote.id).length, 1);
    assert.deepEqual(validateEvent(Subjects.QuoteExpired, events[0]), []);

    assertProblem(await post(auth, `/v1/quotes/${quote.id}/accept`), 409, 'QUOTE_EXPIRED');
    assertProblem(await post(auth, `/v1/quotes/${quote.id}/decline`), 409, 'QUOTE_EXPIRED');
    assertProblem(await post(auth, `/v1/quotes/${quote.id}/send`), 409, 'QUOTE_EXPIRED');
    assertProblem(await post(auth, `/v1/quotes/${quote.id}/convert`), 409, 'QUOTE_NOT_ACCEPTED');
  });

  it('runs the scheduled expiry job through BullMQ', async () => {
    const { client, auth } = await seedTenant(h);
    const quote = await sentQuote(auth, client.id, { validUntil: today() });
    // Make it a quote of yesterday's validity directly in the table: the worker's clock is the real one.
    await h.deps.orm.em
      .fork()
      .getConnection()
      .execute(`update "invoicing"."quotes" set issue_date = ?::date, valid_until = ?::date where id = ?`, [
        addDays(today(), -10),
        addDays(today(), -1),
        quote.id,
      ]);
    await h.startWorkers();
    await waitFor(async () => ((await getQuote(auth, quote.id)).status === 'expired' ? true : undefined), {
      timeoutMs: 15_000,
      what: 'the scheduled expiry job marking the quote expired',
    });
  });
});

describe('converting a quote', () => {
  it('creates a draft invoice naming the quote, with its lines and client, exactly once', async () => {
    const { client, auth } = await seedTenant(h);
    const quote = await sentQuote(auth, client.id, { notes: 'As discussed', paymentMethod: 'bank_transfer' });
    assert.equal((await post(auth, `/v1/quotes/${quote.id}/accept`)).statusCode, 200);
    const converted = await post(auth, `/v1/quotes/${quote.id}/convert`);
    assert.equal(converted.statusCode, 201, converted.body);
    const invoice = converted.json<Invoice>();
    assert.equal(invoice.status, 'draft');
    assert.equal(invoice.quoteId, quote.id);
    assert.equal(invoice.clientId, client.id);
    assert.equal(invoice.notes, 'As discussed');
    assert.equal(invoice.paymentMethod, 'bank_transfer');
    assert.deepEqual(
      invoice.lines.map((l) => [l.description, l.quantity, l.unitPrice, l.net]),
      quote.lines.map((l) => [l.description, l.quantity, l.unitPrice, l.net]),
    );
    assert.equal(invoice.totals.gross, quote.totals.gross);
    const read = await h.app.inject({ method: 'GET', url: `/v1/invoices/${invoice.id}`, headers: auth });
    assert.equal(read.json<Invoice>().quoteId, quote.id);
    const after = await getQuote(auth, quote.id);
    assert.equal(after.status, 'converted');
    assert.equal(after.invoiceId, invoice.id);
    const [event] = await waitForEvents<QuoteConverted>(h, Subjects.QuoteConverted, quote.id);
    assert.deepEqual(validateEvent(Subjects.QuoteConverted, event), []);
    assert.equal(event?.data.invoiceId, invoice.id);

    assertProblem(await post(auth, `/v1/quotes/${quote.id}/convert`), 409, 'QUOTE_ALREADY_CONVERTED');
    assertProblem(await post(auth, `/v1/quotes/${quote.id}/accept`), 409, 'QUOTE_ALREADY_CONVERTED');
  });

  it('gives one invoice to concurrent converts and 409 to the others', async () => {
    const { client, auth } = await seedTenant(h);
    const quote = await sentQuote(auth, client.id);
    assert.equal((await post(auth, `/v1/quotes/${quote.id}/accept`)).statusCode, 200);
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => post(auth, `/v1/quotes/${quote.id}/convert`)),
    );
    const statuses = responses.map((r) => r.statusCode).sort();
    assert.deepEqual(statuses, [201, 409, 409, 409, 409]);
    for (const r of responses.filter((r) => r.statusCode === 409)) {
      assert.equal(r.json<Problem>().code, 'QUOTE_ALREADY_CONVERTED');
    }
    const rows = await h.deps.orm.em
      .fork()
      .getConnection()
      .execute<{ n: string }[]>(`select count(*)::text as n from "invoicing"."invoices" where quote_id = ?`, [
        quote.id,
      ]);
    assert.equal(rows[0]?.n, '1');
  });

  it('rejects a second invoice for the same quote in the database itself', async () => {
    const { client, auth } = await seedTenant(h);
    const quote = await sentQuote(auth, client.id);
    await post(auth, `/v1/quotes/${quote.id}/accept`);
    const invoice = (await post(auth, `/v1/quotes/${quote.id}/convert`)).json<Invoice>();
    const other = (
      await post(auth, '/v1/invoices', { clientId: client.id, lines: [line()] })
    ).json<Invoice>();
    await assert.rejects(
      h.deps.orm.em
        .fork()
        .getConnection()
        .execute(`update "invoicing"."invoices" set quote_id = ? where id = ?`, [quote.id, other.id]),
      /invoices_quote_id_key/,
    );
    assert.notEqual(invoice.id, other.id);
  });
});

describe('who may see a quote', () => {
  it('answers 404 for another organization’s quote on every route', async () => {
    const mine = await seedTenant(h);
    const theirs = await seedTenant(h);
    const quote = await sentQuote(theirs.auth, theirs.client.id);
    const get = await h.app.inject({ method: 'GET', url: `/v1/quotes/${quote.id}`, headers: mine.auth });
    assertProblem(get, 404, 'NOT_FOUND');
    const patch = await h.app.inject({
      method: 'PATCH',
      url: `/v1/quotes/${quote.id}`,
      headers: mine.auth,
      payload: { notes: 'x' },
    });
    assertProblem(patch, 404, 'NOT_FOUND');
    for (const action of ['send', 'accept', 'decline', 'convert']) {
      assertProblem(await post(mine.auth, `/v1/quotes/${quote.id}/${action}`), 404, 'NOT_FOUND');
    }
    const del = await h.app.inject({ method: 'DELETE', url: `/v1/quotes/${quote.id}`, headers: mine.auth });
    assertProblem(del, 404, 'NOT_FOUND');
    const list = await h.app.inject({ method: 'GET', url: '/v1/quotes', headers: mine.auth });
    assert.deepEqual(list.json<{ items: Quote[] }>().items, []);
    assert.equal((await getQuote(theirs.auth, quote.id)).status, 'sent');
  });

  it('limits a member without all_invoices_access to the quotes they created', async () => {
    const { orgId, client } = await seedTenant(h);
    const auth = async (role: string, permissions: string[] = []) => ({
      authorization: `Bearer ${await h.token(orgId, { role, permissions, userId: randomUUID() })}`,
    });
    const alice = await auth('member');
    const bob = await auth('member');
    const auditor = await auth('member', ['all_invoices_access']);
    const hers = await draftQuote(alice, client.id);
    const his = await draftQuote(bob, client.id);
    assert.equal(
      (await h.app.inject({ method: 'GET', url: `/v1/quotes/${his.id}`, headers: alice })).statusCode,
      404,
    );
    assertProblem(await post(alice, `/v1/quotes/${his.id}/send`), 404, 'NOT_FOUND');
    assert.equal(
      (await h.app.inject({ method: 'GET', url: `/v1/quotes/${his.id}`, headers: auditor })).statusCode,
      200,
    );
    const list = async (headers: Auth) =>
      (await h.app.inject({ method: 'GET', url: '/v1/quotes', headers }))
        .json<{ items: Quote[] }>()
        .items.map((q) => q.id)
        .sort();
    assert.deepEqual(await list(alice), [hers.id]);
    assert.deepEqual(await list(auditor), [hers.id, his.id].sort());
  });
});

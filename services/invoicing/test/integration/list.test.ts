/**
 * The invoice list against the plain query it replaces, on enough invoices that every strategy of
 * db/invoice-list.repository.ts runs (the first invoices by id, and the walk over issue dates): for
 * every combination of the documented filters, paging through with the returned cursors gives exactly
 * the invoices of `select id … where … order by id desc`, in that order.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import type { CallResult } from '@invoice/platform-testing';
import { startHarness, type Harness } from '../support/harness.ts';

type Page = { items: { id: string }[]; nextCursor: string | null };

let h: Harness;
const orgId = randomUUID();
const clients = [randomUUID(), randomUUID(), randomUUID()];
const INVOICES = 2_500;

before(async () => {
  h = await startHarness();
  // UUIDv7-like ids rising with g (two minutes apart, ~3.5 days over all), issue dates mostly that
  // day, every 7th backdated up to 40 days and every 13th forward-dated; statuses and clients mixed so
  // that some combinations match nothing.
  await sql(
    `insert into "invoicing"."invoices" (id, org_id, status, number, client_id, currency, issue_date, due_date,
       total_line_net, total_allowances, total_charges, total_net, total_vat, total_other_tax, total_gross,
       total_prepaid, total_rounding, total_due, buyer, created_at, updated_at)
     select id, ?::uuid, status, case when status = 'draft' then null else 'T-' || g end, client, 'EUR', issue,
       issue + 14, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, jsonb_build_object('name', 'Client ' || g % 3), created, created
     from (
       select g, created, (substr(lpad(to_hex(ms), 12, '0'), 1, 8) || '-' || substr(lpad(to_hex(ms), 12, '0'), 9, 4)
           || '-7' || substr(md5(g::text), 1, 3) || '-8' || substr(md5(g::text), 4, 3) || '-'
           || substr(md5(g::text), 7, 12))::uuid as id,
         (array[?::uuid, ?::uuid, ?::uuid])[1 + (g * 7 % 10) / 4] as client,
         case when g % 5 = 0 then 'draft' when g % 3 = 0 then 'paid' when g % 11 = 0 then 'void' else 'issued' end
           as status,
         (created::date - case when g % 7 = 0 then g % 40 when g % 13 = 0 then -(g % 9) else 0 end) as issue
       from (select g, 1767225600000 + g * 120000 as ms, to_timestamp((1767225600000 + g * 120000) / 1000.0) as created
             from generate_series(1, ?) as g) s
     ) t`,
    [orgId, ...clients, INVOICES],
  );
  // Void invoices of the first client never exist: status + client with no match.
  await sql(`update "invoicing"."invoices" set status = 'paid' where client_id = ? and status = 'void'`, [
    clients[0],
  ]);
  await sql(`analyze "invoicing"."invoices"`);
});
after(async () => {
  await h?.close();
});

async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  return h.deps.orm.em.getConnection().execute<T[]>(text, params);
}

type Filter = { status?: string; clientId?: string; issueDateFrom?: string; issueDateTo?: string };

async function expected(filter: Filter): Promise<string[]> {
  const where = ['org_id = ?'];
  const params: unknown[] = [orgId];
  const add = (condition: string, value: string | undefined) => {
    if (value === undefined) return;
    where.push(condition);
    params.push(value);
  };
  add('status = ?', filter.status);
  add('client_id = ?', filter.clientId);
  add('issue_date >= ?', filter.issueDateFrom);
  add('issue_date <= ?', filter.issueDateTo);
  const rows = await sql<{ id: string }>(
    `select id from "invoicing"."invoices" where ${where.join(' and ')} order by id desc`,
    params,
  );
  return rows.map((row) => row.id);
}

async function paged(filter: Filter, limit: number): Promise<string[]> {
  const token = await h.token(orgId);
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1_000; page++) {
    const query: URLSearchParams = new URLSearchParams({
      ...filter,
      limit: String(limit),
      ...(cursor ? { cursor } : {}),
    });
    const response: CallResult<Page> = await h.call<Page>('GET', `/v1/invoices?${query}`, { token });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.ok(response.body.items.length <= limit);
    ids.push(...response.body.items.map((item) => item.id));
    cursor = response.body.nextCursor;
    if (!cursor) return ids;
  }
  throw new Error('too many pages');
}

describe('listing invoices: every filter combination against the plain query', () => {
  const statuses = [undefined, 'issued', 'void'];
  const clientIds = [undefined, clients[0], clients[2]];
  const ranges: [string | undefined, string | undefined][] = [
    [undefined, undefined],
    ['2026-01-03', undefined],
    [undefined, '2026-01-02'],
    ['2026-01-02', '2026-01-02'],
    ['2025-12-10', '2025-12-31'],
    ['2027-01-01', '2027-12-31'],
  ];
  for (const status of statuses) {
    for (const clientId of clientIds) {
      it(`status ${status ?? '-'}, client ${clientId ? clients.indexOf(clientId) : '-'}, every date range`, async () => {
        for (const [issueDateFrom, issueDateTo] of ranges) {
          const filter: Filter = Object.fromEntries(
            Object.entries({ status, clientId, issueDateFrom, issueDateTo }).filter(
              ([, v]) => v !== undefined,
            ),
          );
          const want = await expected(filter);
          assert.deepEqual(await paged(filter, 200), want, JSON.stringify(filter));
          if (issueDateFrom || issueDateTo) {
            assert.deepEqual(await paged(filter, 23), want, `${JSON.stringify(filter)}, limit 23`);
          }
        }
      });
    }
  }

  it('finds the status + client combination that matches nothing without reading the client’s invoices', async () => {
    assert.deepEqual(await paged({ status: 'void', clientId: clients[0] }, 50), []);
  });
});

/**
 * P4: the invoice list with 1,000,000 invoices in one organization. The rows are seeded with raw
 * SQL (generate_series) into invoicing's table, copied from real invoices the API issued (one per
 * client), with UUIDv7 ids spread over three years, statuses and clients in fixed proportions.
 * Every documented filter of `GET /v1/invoices` (status, clientId, issueDateFrom, issueDateTo) and
 * every combination of them, plus a few selective and empty cases and `limit=200`, is requested
 * first page and deep cursor page, sequentially through the gateway; the ceiling is the same SQL
 * the service runs (`select * … order by id desc limit n+1`) through plain `pg`.
 */
import pg from 'pg';
import type { EntityManager } from '@invoice/platform-db';
import { encodeCursor } from '@invoice/platform-http';
import { listInvoices } from '../../services/invoicing/src/db/invoice-list.repository.ts';
import { connectNats, createAndIssue, createOrganization } from '../lib/setup.ts';
import { now, summarize, type LatencySummary } from '../lib/stats.ts';
import type { IsolatedSystem, SystemUnderTest } from '../lib/system.ts';

export interface P4Options {
  invoices: number;
  requests: number;
  /** Time after which a slow case stops short of `requests` (keeping at least 10 samples). */
  caseBudgetMs: number;
  log: (line: string) => void;
}

interface Filter {
  status?: string;
  clientId?: string;
  issueDateFrom?: string;
  issueDateTo?: string;
  limit?: number;
}

export interface P4Case {
  name: string;
  query: string;
  matches: number;
  first: { apiMs: LatencySummary; ceilingMs: LatencySummary; items: number };
  deep: { apiMs: LatencySummary; ceilingMs: LatencySummary; items: number; position: number };
  /** Item counts of the API and the plain SQL agree (a sanity check of the ceiling). */
  sameItems: boolean;
}

export interface P4Result {
  invoices: number;
  seedSeconds: number;
  /** Seconds per seeding step (prepare, insert, indexes, vacuum). */
  seedSteps: Record<string, number>;
  tableSize: string;
  requestsPerCase: number;
  /** `service`: the SQL the invoicing repository runs; `keyset`: the plain keyset query stood in. */
  ceilingSql: string;
  cases: P4Case[];
  worstApiP99Ms: number;
}

const STATUS_SPLIT = `case when b < 10 then 'draft' when b < 60 then 'issued' when b < 85 then 'paid'
  when b < 93 then 'overdue' when b < 98 then 'void' else 'partially_paid' end`;
// Clients 0..4 get 40 %, 30 %, 20 %, 9.9 % and 0.1 % of the invoices; client 5 none.
const CLIENT_SPLIT = `case when c < 400 then 0 when c < 700 then 1 when c < 900 then 2 when c < 999 then 3 else 4 end`;

function isoDate(daysFromToday: number): string {
  return new Date(Date.now() + daysFromToday * 86_400_000).toISOString().slice(0, 10);
}

/** Connections the seed loads and indexes with (one per core of the 2-core target machine). */
const SEED_CONNECTIONS = 2;

/**
 * Seeds `count` invoices for `orgId` copied from `templates` (one issued invoice id per client slot),
 * in `SEED_CONNECTIONS` parallel slices. With `dropIndexes`, the secondary indexes are dropped for
 * the load and recreated from their definitions afterwards (in parallel too): much faster than
 * maintaining ten indexes row by row. Returns the seconds each step took.
 */
async function seed(
  databaseUrl: string,
  orgId: string,
  templates: string[],
  count: number,
  dropIndexes: boolean,
): Promise<Record<string, number>> {
  const steps: Record<string, number> = {};
  let mark = now();
  const step = (name: string) => {
    steps[name] = Math.round((now() - mark) / 100) / 10;
    mark = now();
  };
  const clients = Array.from(
    { length: SEED_CONNECTIONS },
    () => new pg.Client({ connectionString: databaseUrl }),
  );
  await Promise.all(clients.map((client) => client.connect()));
  const db = clients[0] as pg.Client;
  try {
    for (const client of clients) {
      await client.query(`set synchronous_commit = off`);
      await client.query(`set maintenance_work_mem = '256MB'`);
    }
    const columns = (
      await db.query<{ column_name: string }>(
        `select column_name from information_schema.columns
          where table_schema = 'invoicing' and table_name = 'invoices' order by ordinal_position`,
      )
    ).rows.map((row) => row.column_name);
    const draft = `g.status = 'draft'`;
    const at = `to_timestamp(g.ms / 1000.0)`;
    const overrides: Record<string, string> = {
      id: `(substr(g.hx, 1, 8) || '-' || substr(g.hx, 9, 4) || '-7' || substr(g.h, 1, 3) || '-8' ||
            substr(g.h, 4, 3) || '-' || substr(g.h, 7, 12))::uuid`,
      org_id: `$1::uuid`,
      status: `g.status`,
      number: `case when ${draft} then null else 'SEED-' || g.i end`,
      series_id: `case when ${draft} then null else t.series_id end`,
      seller: `case when ${draft} then null else t.seller end`,
      buyer: `case when ${draft} then null else t.buyer end`,
      document_version: `case when ${draft} then null else t.document_version end`,
      issued_at: `case when ${draft} then null else ${at} end`,
      last_sent_at: `null`,
      issue_date: `(${at} at time zone 'UTC')::date`,
      due_date: `(${at} at time zone 'UTC')::date + 14`,
      created_at: at,
      updated_at: at,
    };
    const expressions = columns.map((column) => overrides[column] ?? `t."${column}"`);
    let saved: { indexname: string; indexdef: string }[] = [];
    if (dropIndexes) {
      saved = (
        await db.query<{ indexname: string; indexdef: string }>(
          `select indexname, indexdef from pg_indexes
            where schemaname = 'invoicing' and tablename = 'invoices'
              and indexname not in (select conname from pg_constraint where conrelid = 'invoicing.invoices'::regclass)`,
        )
      ).rows;
      for (const index of saved) await db.query(`drop index invoicing."${index.indexname}"`);
    }
    const threeYearsMs = 3 * 365 * 86_400_000;
    const spacing = Math.max(1, Math.floor(threeYearsMs / count));
    const sql = `insert into invoicing.invoices (${columns.map((c) => `"${c}"`).join(', ')})
       select ${expressions.join(', ')}
       from (
         select i, ms, lpad(to_hex(ms), 12, '0') as hx, md5(i::text) as h,
                ${STATUS_SPLIT} as status, ${CLIENT_SPLIT} + 1 as k
         from (
           select i, $2::bigint + i::bigint * $3::bigint as ms,
                  abs(hashint4(i)) % 100 as b, abs(hashint4(i + 1000003)) % 1000 as c
           from generate_series($4::int, $5::int) as i
         ) r
       ) g
       join (
         select v.k, i.* from invoicing.invoices i
         join unnest($6::uuid[]) with ordinality as v(id, k) on v.id = i.id
       ) t on t.k = g.k`;
    step('prepare');
    try {
      const slice = Math.ceil(count / clients.length);
      await Promise.all(
        clients.map((client, n) =>
          client.query(sql, [
            orgId,
            Date.now() - threeYearsMs - spacing * 2,
            spacing,
            n * slice + 1,
            Math.min(count, (n + 1) * slice),
            templates,
          ]),
        ),
      );
      step('insert');
    } finally {
      // Rebuilt even when the load failed, so the service's table keeps every index.
      const queue = [...saved];
      await Promise.all(
        clients.map(async (client) => {
          for (let index = queue.shift(); index; index = queue.shift()) await client.query(index.indexdef);
        }),
      );
      step('indexes');
    }
    await db.query(`vacuum (analyze) invoicing.invoices`);
    step('vacuum');
    return steps;
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
}

function where(filter: Filter, orgId: string, cursor?: string): { sql: string; params: unknown[] } {
  const params: unknown[] = [orgId];
  const parts = ['org_id = $1'];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    parts.push(sql.replace('?', `$${params.length}`));
  };
  if (filter.status) add('status = ?', filter.status);
  if (filter.clientId) add('client_id = ?', filter.clientId);
  if (filter.issueDateFrom) add('issue_date >= ?', filter.issueDateFrom);
  if (filter.issueDateTo) add('issue_date <= ?', filter.issueDateTo);
  if (cursor) add('id < ?', cursor);
  return { sql: parts.join(' and '), params };
}

/** A statement for plain `pg` ($n placeholders). */
interface Statement {
  text: string;
  params: unknown[];
}

/**
 * The ceiling's SQL: exactly what the invoicing service runs for this page, captured by calling its
 * list repository (`listInvoices`, as `listPage` does: `limit + 1` rows) with an entity manager that
 * records each statement instead of running it. Should the repository need more than `execute`, the
 * plain keyset query (`select * … where … order by id desc limit n + 1`) stands in.
 */
async function ceilingStatements(
  orgId: string,
  filter: Filter,
  cursor: string | undefined,
): Promise<{ statements: Statement[]; source: 'service' | 'keyset' }> {
  const limit = (filter.limit ?? 50) + 1;
  const captured: Statement[] = [];
  const recorder = {
    config: { get: (key: string) => (key === 'schema' ? 'invoicing' : undefined) },
    execute: async (sql: string, params: unknown[] = []) => {
      let n = 0;
      captured.push({ text: sql.replace(/\?/g, () => `$${++n}`), params });
      return [];
    },
  } as unknown as EntityManager;
  try {
    await listInvoices(recorder, orgId, {
      status: filter.status as Parameters<typeof listInvoices>[2]['status'],
      clientId: filter.clientId,
      issueDateFrom: filter.issueDateFrom,
      issueDateTo: filter.issueDateTo,
      before: cursor,
      limit,
    });
    if (captured.length > 0) return { statements: captured, source: 'service' };
  } catch {
    // the repository uses more of the entity manager: fall back to the keyset query below
  }
  const sql = where(filter, orgId, cursor);
  const statements = [
    {
      text: `select * from invoicing.invoices where ${sql.sql} order by id desc limit ${limit}`,
      params: sql.params,
    },
  ];
  return { statements, source: 'keyset' };
}

function queryString(filter: Filter, cursor?: string): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value !== undefined) search.set(key, String(value));
  if (cursor) search.set('cursor', encodeCursor(cursor));
  const text = search.toString();
  return text ? `?${text}` : '';
}

export async function runP4(system: SystemUnderTest, options: P4Options): Promise<P4Result> {
  const { log } = options;
  if (system.isolated) {
    log('P4: starting the whole system as npm start runs it');
    await (system as IsolatedSystem).start();
  }
  const nc = await connectNats(system);
  const org = await createOrganization(system, nc, { clients: 6, maxSockets: 4 });
  const db = new pg.Client({ connectionString: system.databaseUrl });
  await db.connect();
  try {
    const templates: string[] = [];
    for (let k = 0; k < 5; k++)
      templates.push((await createAndIssue(org.api, org.clientIds[k] as string)).id);
    log(`P4: seeding ${options.invoices.toLocaleString('en')} invoices with generate_series`);
    const seedStart = now();
    const seedSteps = await seed(system.databaseUrl, org.orgId, templates, options.invoices, system.isolated);
    const seedSeconds = Math.round((now() - seedStart) / 100) / 10;
    const size = (
      await db.query(`select pg_size_pretty(pg_total_relation_size('invoicing.invoices')) as size`)
    ).rows[0].size as string;
    log(`P4: seeded in ${seedSeconds} s (${JSON.stringify(seedSteps)}), table with indexes ${size}`);

    const [busy, , , , rare, empty] = org.clientIds as [string, string, string, string, string, string];
    const dimensions = ['status', 'clientId', 'issueDateFrom', 'issueDateTo'] as const;
    const cases: { name: string; filter: Filter }[] = [];
    for (let mask = 0; mask < 16; mask++) {
      const used = dimensions.filter((_, bit) => mask & (1 << bit));
      const filter: Filter = {};
      if (used.includes('status')) filter.status = 'paid';
      if (used.includes('clientId')) filter.clientId = org.clientIds[1] as string;
      const both = used.includes('issueDateFrom') && used.includes('issueDateTo');
      if (used.includes('issueDateFrom')) filter.issueDateFrom = isoDate(both ? -400 : -180);
      if (used.includes('issueDateTo')) filter.issueDateTo = isoDate(both ? -370 : -730);
      cases.push({ name: used.length ? used.join(' + ') : '(no filter)', filter });
    }
    cases.push(
      { name: 'status + clientId, no match', filter: { status: 'paid', clientId: empty } },
      { name: 'clientId (0.1 %)', filter: { clientId: rare } },
      { name: 'status (2 %)', filter: { status: 'partially_paid' } },
      { name: 'status (2 %) + clientId (0.1 %)', filter: { status: 'partially_paid', clientId: rare } },
      { name: 'issueDateFrom, no match (future)', filter: { issueDateFrom: isoDate(400) } },
      { name: 'clientId (40 %), limit 200', filter: { clientId: busy, limit: 200 } },
    );

    // The id half-way through the organization's invoices: the deep cursor of selective filters.
    const middle = (
      await db.query<{ id: string }>(
        `select id from invoicing.invoices where org_id = $1 order by id desc offset $2 limit 1`,
        [org.orgId, Math.floor(options.invoices / 2)],
      )
    ).rows[0]?.id as string;

    const results: P4Case[] = [];
    const ceilingSources = new Set<string>();
    for (const { name, filter } of cases) {
      const limit = filter.limit ?? 50;
      const condition = where(filter, org.orgId);
      const matches = Number(
        (
          await db.query(
            `select count(*)::int as n from invoicing.invoices where ${condition.sql}`,
            condition.params,
          )
        ).rows[0].n,
      );
      // Deep page: after 90 % of the matches (or, with few matches, half-way through the organization).
      let deepCursor = middle;
      let position = -1;
      if (matches > 2 * limit) {
        position = Math.floor(matches * 0.9);
        deepCursor = (
          await db.query<{ id: string }>(
            `select id from invoicing.invoices where ${condition.sql} order by id desc offset ${position} limit 1`,
            condition.params,
          )
        ).rows[0]?.id as string;
      }
      const measure = async (cursor: string | undefined) => {
        const path = `/v1/invoices${queryString(filter, cursor)}`;
        const { statements, source } = await ceilingStatements(org.orgId, filter, cursor);
        ceilingSources.add(source);
        const runCeiling = async () => {
          let rowCount = 0;
          for (const statement of statements)
            rowCount = (await db.query(statement.text, statement.params)).rowCount ?? 0;
          return rowCount;
        };
        // Warm-up (plans, caches), and the item counts of both sides for the sanity check.
        let items = -1;
        for (let i = 0; i < 3; i++) {
          const warm = await org.api.request('GET', path);
          if (warm.status !== 200)
            throw new Error(`GET ${path}: ${warm.status} ${JSON.stringify(warm.json)}`);
          items = (warm.json.items as unknown[]).length;
        }
        const rows = Math.min(limit, await runCeiling());
        // `requests` in a row, or as many as fit in the time budget when they are slow (at least 10).
        const enough = (count: number, started: number) =>
          count >= options.requests || (count >= 10 && now() - started > options.caseBudgetMs);
        const api: number[] = [];
        for (const started = now(); !enough(api.length, started);) {
          const response = await org.api.request('GET', path);
          if (response.status !== 200) throw new Error(`GET ${path}: ${response.status}`);
          api.push(response.ms);
        }
        const ceiling: number[] = [];
        for (const started = now(); !enough(ceiling.length, started);) {
          const t0 = now();
          await runCeiling();
          ceiling.push(now() - t0);
        }
        return { apiMs: summarize(api), ceilingMs: summarize(ceiling), items, same: items === rows };
      };
      const first = await measure(undefined);
      const deep = await measure(deepCursor);
      results.push({
        name,
        query: queryString(filter) || '(none)',
        matches,
        first: { apiMs: first.apiMs, ceilingMs: first.ceilingMs, items: first.items },
        deep: { apiMs: deep.apiMs, ceilingMs: deep.ceilingMs, items: deep.items, position },
        sameItems: first.same && deep.same,
      });
      log(
        `P4: ${name.padEnd(44)} ${String(matches).padStart(8)} matches  first p50/p99 ${first.apiMs.p50}/${first.apiMs.p99} ms` +
          ` (sql ${first.ceilingMs.p99})  deep ${deep.apiMs.p50}/${deep.apiMs.p99} ms (sql ${deep.ceilingMs.p99})`,
      );
    }
    if (!system.isolated) {
      log('P4: deleting the seeded invoices');
      await db.query(`delete from invoicing.invoices where org_id = $1`, [org.orgId]);
    }
    return {
      invoices: options.invoices,
      seedSeconds,
      seedSteps,
      tableSize: size,
      requestsPerCase: options.requests,
      ceilingSql: [...ceilingSources].join(', '),
      cases: results,
      worstApiP99Ms: Math.max(...results.flatMap((c) => [c.first.apiMs.p99, c.deep.apiMs.p99])),
    };
  } finally {
    await db.end();
    org.api.close();
    await nc.close();
  }
}

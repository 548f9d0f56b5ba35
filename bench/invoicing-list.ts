/**
 * Invoice list with 1,000,000 invoices in one organization (issue 7, P4). Seeds a scratch database
 * once (raw SQL generate_series: UUIDv7-like ids over three years, issue dates near the creation day
 * with some backdating, skewed clients, statuses by age), migrates it with the service's migrations
 * (so a new index migration is measured on the next run), builds the invoicing app in-process and
 * times `GET /v1/invoices` for every documented filter and combination, first page and a deep cursor
 * page, through `app.inject`. Prints p50/p99 per query and, with EXPLAIN=1, the plan of its SQL.
 *
 *   npm exec -- node --import tsx bench/invoicing-list.ts        (REPS=150 EXPLAIN=1 FILTER=status)
 *
 * EXPLAIN=1 also runs EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) of each query's SQL RUNS times and prints
 * the server's execution time (min and median) and the buffers it touched: steadier than wall-clock
 * times on a busy machine. LEGACY=1 prints only that, for the SQL the list sent before issue 7
 * (MikroORM `em.find`: `select * … order by id desc limit 51`), against LIST_DB (e.g. a copy of the
 * scratch database with the old indexes), without starting the app.
 *
 * Not part of `npm test`; traffic only to this machine; the scratch database stays for the next run
 * (drop it with `dropdb -h 127.0.0.1 -U postgres bench_invoicing_list`).
 */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { encodeCursor } from '@invoice/platform-http';
import { migrate } from '@invoice/platform-db';
import { silentLogger, startTestIssuer } from '@invoice/platform-testing';
import { service } from '../services/invoicing/src/service.ts';

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = process.env.LIST_DB ?? 'bench_invoicing_list';
const ROWS = Number(process.env.ROWS ?? 1_000_000);
const REPS = Number(process.env.REPS ?? 150);
const EXPLAIN = process.env.EXPLAIN === '1';
const FILTER = process.env.FILTER ?? '';
const LEGACY = process.env.LEGACY === '1';
const RUNS = Number(process.env.RUNS ?? 7);
const ORG = '0b0b0b0b-0000-4000-8000-000000000001';
const CLIENTS = 2000;
const DAY = 86_400_000;

const dbUrl = new URL(ADMIN_URL);
dbUrl.pathname = `/${DB}`;

// The SQL of the last statement the app sent (MikroORM inlines parameters), for EXPLAIN.
const requireFromOrm = createRequire(createRequire(import.meta.url).resolve('@mikro-orm/postgresql'));
const ormPg = requireFromOrm('pg') as typeof pg;
let lastSql = '';
const query = ormPg.Client.prototype.query as (...args: unknown[]) => unknown;
ormPg.Client.prototype.query = function (this: unknown, ...args: unknown[]) {
  const first = args[0] as string | { text?: string };
  lastSql = typeof first === 'string' ? first : (first?.text ?? '');
  return query.apply(this, args);
} as typeof ormPg.Client.prototype.query;

const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
const exists = await admin.query('select 1 from pg_database where datname = $1', [DB]);
if (exists.rowCount === 0) await admin.query(`create database ${DB}`);
await admin.end();

const issuer = await startTestIssuer();
const config = service.readConfig({
  DATABASE_URL: dbUrl.toString(),
  AUTH_JWKS_URL: issuer.jwksUrl,
  JWT_ISSUER: issuer.issuer,
  JWT_AUDIENCE: issuer.audience,
  LOG_LEVEL: 'silent',
});
const deps = LEGACY ? undefined : await service.createDeps(config, silentLogger());
const db = new pg.Client({ connectionString: dbUrl.toString() });
await db.connect();
try {
  const ran = deps ? await migrate(deps.orm) : [];
  if (ran.length > 0) console.log(`migrations applied: ${ran.join(', ')}`);
  await seed(db);
  if (ran.length > 0) await db.query('vacuum analyze invoicing.invoices');
  const app = deps ? await service.buildApp(deps) : undefined;
  await app?.ready();
  const token = await issuer.sign({ orgId: ORG, role: 'owner', permissions: [] });
  const headers = { authorization: `Bearer ${token}` };

  const clientId = async (c: number) =>
    (await db.query<{ id: string }>(`select bench_client_id($1) as id`, [c])).rows[0]!.id;
  const big = await clientId(0);
  const small = await clientId(CLIENTS - 1);
  const none = '0b0b0b0b-0000-4000-8000-0000000000ff';
  const day = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString().slice(0, 10);
  // A deep cursor: the id half-way down the organization's invoices (and one 90 % down).
  const [mid, deep] = (
    await db.query<{ id: string }>(
      `select id from (select id, row_number() over (order by id desc) as n from invoicing.invoices where org_id = $1) t
       where n in ($2, $3) order by n`,
      [ORG, Math.floor(ROWS / 2), Math.floor(ROWS * 0.9)],
    )
  ).rows.map((row) => encodeCursor(row.id));

  const cases: [string, Record<string, string>][] = [
    ['no filter', {}],
    ['status=overdue', { status: 'overdue' }],
    ['status=draft (recent only)', { status: 'draft' }],
    ['clientId big (~8 %)', { clientId: big }],
    ['clientId small', { clientId: small }],
    ['clientId unknown (no match)', { clientId: none }],
    ['status+clientId match', { status: 'overdue', clientId: big }],
    ['status+clientId no match', { status: 'void', clientId: big }],
    ['from recent (7 d)', { issueDateFrom: day(7) }],
    ['from old (900 d, wide)', { issueDateFrom: day(900) }],
    ['to old (730 d)', { issueDateTo: day(730) }],
    ['from+to recent month', { issueDateFrom: day(30), issueDateTo: day(0) }],
    ['from+to old month', { issueDateFrom: day(760), issueDateTo: day(730) }],
    ['from+to one old day', { issueDateFrom: day(400), issueDateTo: day(400) }],
    ['from+to future (no match)', { issueDateFrom: day(-30), issueDateTo: day(-10) }],
    ['status+from+to old month', { status: 'overdue', issueDateFrom: day(760), issueDateTo: day(730) }],
    ['draft+old month (no match)', { status: 'draft', issueDateFrom: day(760), issueDateTo: day(730) }],
    ['status+to old', { status: 'void', issueDateTo: day(730) }],
    ['client+from+to old month', { clientId: big, issueDateFrom: day(760), issueDateTo: day(730) }],
    ['small client+old day', { clientId: small, issueDateFrom: day(400), issueDateTo: day(400) }],
    ['client+from recent', { clientId: big, issueDateFrom: day(7) }],
    [
      'status+client+from+to',
      { status: 'overdue', clientId: big, issueDateFrom: day(760), issueDateTo: day(730) },
    ],
    [
      'status+client+dates no match',
      { status: 'void', clientId: big, issueDateFrom: day(30), issueDateTo: day(0) },
    ],
  ];

  console.log(
    `\n${'query'.padEnd(34)} ${'page'.padEnd(6)} items  p50 ms  p99 ms  max ms` +
      (EXPLAIN || LEGACY ? '   server ms (min / median)  buffers' : ''),
  );
  for (const [name, filter] of cases) {
    if (FILTER && !name.includes(FILTER)) continue;
    for (const [page, cursor] of [
      ['first', undefined],
      ['50 %', mid],
      ['90 %', deep],
    ] as const) {
      const params = new URLSearchParams({ ...filter, ...(cursor ? { cursor } : {}) });
      const url = `/v1/invoices?${params}`;
      const times: number[] = [];
      let items = 0;
      let sql = legacySql(filter, cursor);
      for (let i = 0; app && i < REPS + 10; i++) {
        const started = performance.now();
        const response = await app.inject({ method: 'GET', url, headers });
        const ms = performance.now() - started;
        if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
        if (i >= 10) times.push(ms);
        items = response.json<{ items: unknown[] }>().items.length;
        sql = lastSql;
      }
      times.sort((a, b) => a - b);
      const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? 0;
      let line = `${name.padEnd(34)} ${page.padEnd(6)} ${String(items).padStart(5)} ${pct(50).toFixed(1).padStart(7)} ${pct(
        99,
      )
        .toFixed(1)
        .padStart(7)} ${(times.at(-1) ?? 0).toFixed(1).padStart(7)}`;
      if (EXPLAIN || LEGACY) {
        const server: number[] = [];
        let buffers = 0;
        let rows = 0;
        for (let run = 0; run < RUNS; run++) {
          const result = await db.query(`explain (analyze, buffers, timing off, format json) ${sql}`);
          const [plan] = result.rows[0]['QUERY PLAN'] as {
            'Execution Time': number;
            Plan: { 'Shared Hit Blocks': number; 'Shared Read Blocks': number; 'Actual Rows': number };
          }[];
          server.push(plan!['Execution Time']);
          buffers = plan!.Plan['Shared Hit Blocks'] + plan!.Plan['Shared Read Blocks'];
          rows = plan!.Plan['Actual Rows'];
        }
        server.sort((a, b) => a - b);
        if (!app) items = Math.min(rows, 50);
        line += `   ${server[0]!.toFixed(2).padStart(8)} / ${server[Math.floor(RUNS / 2)]!.toFixed(2).padStart(8)}  ${String(buffers).padStart(7)}`;
        if (LEGACY)
          line = `${name.padEnd(34)} ${page.padEnd(6)} ${String(items).padStart(5)}${' '.repeat(24)}${line.slice(71)}`;
      }
      console.log(line);
    }
  }
  await app?.close();
} finally {
  await db.end();
  if (deps) await service.closeDeps(deps);
  await issuer.stop();
}

/** The statement the list sent before issue 7 (MikroORM `em.find` on the entity, all columns). */
function legacySql(filter: Record<string, string>, cursor: string | undefined): string {
  const where = [`org_id = '${ORG}'`];
  if (filter.status) where.push(`status = '${filter.status}'`);
  if (filter.clientId) where.push(`client_id = '${filter.clientId}'`);
  if (filter.issueDateFrom) where.push(`issue_date >= '${filter.issueDateFrom}'`);
  if (filter.issueDateTo) where.push(`issue_date <= '${filter.issueDateTo}'`);
  if (cursor) {
    const id = Buffer.from(cursor, 'base64url').toString('utf8').slice(3);
    where.push(`id < '${id}'`);
  }
  return `select i0.* from invoicing.invoices as i0 where ${where.join(' and ')} order by i0.id desc limit 51`;
}

/** 1,000,000 invoices of ORG (and 100,000 of 100 other organizations), once per scratch database. */
async function seed(client: pg.Client): Promise<void> {
  await client.query(`create or replace function bench_client_id(c int) returns uuid language sql immutable as
    $$ select (substr(md5('client' || c), 1, 8) || '-' || substr(md5('client' || c), 9, 4) || '-4' ||
       substr(md5('client' || c), 14, 3) || '-8' || substr(md5('client' || c), 18, 3) || '-' ||
       substr(md5('client' || c), 21, 12))::uuid $$`);
  const { rows } = await client.query<{ n: string }>(
    'select count(*) as n from invoicing.invoices where org_id = $1',
    [ORG],
  );
  if (Number(rows[0]!.n) >= ROWS) return;
  console.log(`seeding ${ROWS} invoices into ${DB} ...`);
  const started = performance.now();
  await client.query('truncate invoicing.invoices cascade');
  const end = Date.now();
  const span = 3 * 365 * DAY;
  const chunk = 100_000;
  for (const [org, count] of [
    [ORG, ROWS],
    ['other', ROWS / 10],
  ] as const) {
    for (let from = 1; from <= count; from += chunk) {
      const to = Math.min(count, from + chunk - 1);
      await client.query(
        `insert into invoicing.invoices (id, org_id, status, number, client_id, currency, issue_date, due_date,
           total_line_net, total_allowances, total_charges, total_net, total_vat, total_other_tax, total_gross,
           total_prepaid, total_rounding, total_due, buyer, version, issued_at, created_at, updated_at)
         select id, org, status, case when status = 'draft' then null else 'INV-B-' || lpad(g::text, 7, '0') end,
           client, 'EUR', issue, issue + 14, net, 0, 0, net, round(net * 0.19, 2), 0, round(net * 1.19, 2), 0, 0,
           round(net * 1.19, 2), case when status = 'draft' then null else jsonb_build_object('name', 'Client ' || c) end,
           case when status = 'draft' then 1 else 2 end, case when status = 'draft' then null else created end,
           created, created
         from (
           select g, id, org, created, c, bench_client_id(c) as client, net,
             (created - make_interval(days => case when r2 < 0.05 then floor(r3 * 60)::int else floor(r3 * 4)::int end))::date as issue,
             case
               when age < 30 then case when r4 < 0.10 then 'draft' when r4 < 0.70 then 'issued' else 'paid' end
               when r4 < 0.85 then 'paid' when r4 < 0.90 then 'overdue' when r4 < 0.92 then 'partially_paid'
               when r4 < 0.95 and c >= 10 then 'void' else 'issued' end as status
           from (
             select g, created, extract(epoch from now() - created) / 86400 as age,
               (substr(lpad(to_hex(ms), 12, '0'), 1, 8) || '-' || substr(lpad(to_hex(ms), 12, '0'), 9, 4) || '-7' ||
                substr(md5(g::text || $1), 1, 3) || '-8' || substr(md5(g::text || $1), 4, 3) || '-' ||
                substr(md5(g::text || $1), 7, 12))::uuid as id,
               case when $1 = 'other' then ('0b0b0b0b-0000-4000-8000-' || lpad((100 + g % 100)::text, 12, '0'))::uuid
                    else $1::uuid end as org,
               floor(${CLIENTS} * power(random(), 3))::int as c,
               round((random() * 5000)::numeric, 2) as net, random() as r2, random() as r3, random() as r4
             from (
               select g, ms, to_timestamp(ms / 1000.0) as created
               from (select g, ($2::bigint - $3::bigint + floor(g * ($3::numeric / $4)))::bigint as ms
                     from generate_series($5::int, $6::int) as g) s
             ) t
           ) u
         ) v`,
        [org, end, span, count, from, to],
      );
    }
  }
  await client.query('vacuum analyze invoicing.invoices');
  console.log(`seeded in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

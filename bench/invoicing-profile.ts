/**
 * Profile driver of the invoicing hot path (issue 7, P1): builds the invoicing app in-process with
 * the test harness (its own database, NATS namespace, consumers and outbox relay), seeds one tenant
 * through the replica consumers, then runs create + issue of 20-line invoices with CONCURRENCY in
 * flight through `app.inject`, and in the same run the raw-pg ceiling (invoice + 20 lines, one
 * transaction, one multi-row insert). Prints invoices/s, latency percentiles and Postgres round trips
 * per invoice (counted on the pg client the ORM uses).
 *
 *   npm exec -- node --import tsx bench/invoicing-profile.ts
 *   npm exec -- node --import tsx --cpu-prof --cpu-prof-dir=.data/prof bench/invoicing-profile.ts
 *   COUNT=2000 CONCURRENCY=16 IDEMPOTENCY=1 PRODUCT_LINES=5 RAW=0 ...
 *   SERVICE_MODULE=/abs/path/to/other/services/invoicing/src/service.ts   (A/B against another version)
 *
 * Not part of `npm test`; traffic only to this machine; bounded by COUNT.
 */
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { newId } from '@invoice/contracts';
import { startServiceHarness } from '@invoice/platform-testing';
import type { service as InvoicingService } from '../services/invoicing/src/service.ts';
import {
  line,
  productSnapshot,
  publishProduct,
  seedTenant,
} from '../services/invoicing/test/support/factories.ts';

const COUNT = Number(process.env.COUNT ?? 1500);
const WARMUP = Number(process.env.WARMUP ?? 300);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 16);
const LINES = Number(process.env.LINES ?? 20);
const PRODUCT_LINES = Number(process.env.PRODUCT_LINES ?? 5);
const IDEMPOTENCY = process.env.IDEMPOTENCY === '1';
const RAW = process.env.RAW !== '0';

// Count the statements sent by the pg client the ORM uses (MikroORM's own copy of pg).
const requireFromOrm = createRequire(createRequire(import.meta.url).resolve('@mikro-orm/postgresql'));
const ormPg = requireFromOrm('pg') as typeof pg;
const statements = new Map<string, number>();
let counting = false;
for (const Client of new Set([ormPg.Client, pg.Client])) {
  const query = Client.prototype.query as (...args: unknown[]) => unknown;
  Client.prototype.query = function (this: unknown, ...args: unknown[]) {
    if (counting) {
      const first = args[0] as string | { text?: string };
      const text = typeof first === 'string' ? first : (first?.text ?? '?');
      // Only the head of the statement, so counting costs next to nothing beside the statement itself.
      const key = text
        .slice(0, 140)
        .replace(/'[^']*'/g, "'…'")
        .replace(/\s+/g, ' ');
      statements.set(key, (statements.get(key) ?? 0) + 1);
    }
    return query.apply(this, args);
  } as typeof Client.prototype.query;
}

const { service } = (await import(process.env.SERVICE_MODULE ?? '../services/invoicing/src/service.ts')) as {
  service: typeof InvoicingService;
};
const h = await startServiceHarness(service, { env: { RPC_TIMEOUT_MS: '2000' } });
try {
  const tenant = await seedTenant(h);
  const products: { id: string }[] = [];
  for (let i = 0; i < PRODUCT_LINES; i++) {
    products.push(await publishProduct(h, tenant.orgId, productSnapshot({ unitPrice: `${10 + i}.50` })));
  }
  const body = {
    clientId: tenant.client.id,
    currency: 'EUR',
    lines: Array.from({ length: LINES }, (_, i) => {
      const product = products[i];
      if (product) return { productId: product.id, quantity: String(i + 1) };
      return line({ description: `Line ${i + 1}`, quantity: `${(i % 7) + 1}.5`, unitPrice: `${i + 3}.99` });
    }),
  };

  const oneInvoice = async (): Promise<number[]> => {
    const started = performance.now();
    const key = (): Record<string, string> => (IDEMPOTENCY ? { 'idempotency-key': randomUUID() } : {});
    const created = await h.app.inject({
      method: 'POST',
      url: '/v1/invoices',
      headers: { ...tenant.auth, ...key() },
      payload: body,
    });
    if (created.statusCode !== 201) throw new Error(`create ${created.statusCode} ${created.body}`);
    const mid = performance.now();
    const id = created.json<{ id: string }>().id;
    const issued = await h.app.inject({
      method: 'POST',
      url: `/v1/invoices/${id}/issue`,
      headers: { ...tenant.auth, ...key() },
    });
    if (issued.statusCode !== 200) throw new Error(`issue ${issued.statusCode} ${issued.body}`);
    const end = performance.now();
    return [end - started, mid - started, end - mid];
  };

  await run('warm-up', WARMUP, oneInvoice, false);
  statements.clear();
  counting = true;
  const cpu0 = process.cpuUsage();
  await run('create+issue (in-process inject)', COUNT, oneInvoice, true);
  const cpu = process.cpuUsage(cpu0);
  counting = false;
  console.log(`  process CPU per invoice: ${((cpu.user + cpu.system) / 1000 / COUNT).toFixed(2)} ms`);
  const total = [...statements.values()].reduce((a, b) => a + b, 0);
  console.log(`  Postgres statements per invoice: ${(total / COUNT).toFixed(2)}`);
  for (const [sql, n] of [...statements].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
    console.log(`    ${(n / COUNT).toFixed(2).padStart(6)}  ${sql}`);
  }

  if (RAW) {
    const pool = new pg.Pool({ connectionString: h.db.url, max: 10 });
    const raw = async (): Promise<number[]> => {
      const started = performance.now();
      const client = await pool.connect();
      try {
        await client.query('begin');
        const id = newId();
        await client.query(
          `insert into invoicing.invoices (id, org_id, status, client_id, currency, issue_date, due_date,
             total_line_net, total_allowances, total_charges, total_net, total_vat, total_other_tax,
             total_gross, total_prepaid, total_rounding, total_due)
           values ($1, $2, 'draft', $3, 'EUR', current_date, current_date, 1, 0, 0, 1, 0.19, 0, 1.19, 0, 0, 1.19)`,
          [id, tenant.orgId, tenant.client.id],
        );
        const params: unknown[] = [];
        const values = body.lines.map((_, i) => {
          params.push(id, i + 1, `Line ${i + 1}`, '1.5', 'HUR', '3.99', 'S', '19', '5.99');
          const b = i * 9;
          return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8}, $${b + 9})`;
        });
        await client.query(
          `insert into invoicing.invoice_lines (invoice_id, position, description, quantity, unit_code, unit_price,
             vat_category, vat_rate, net) values ${values.join(', ')}`,
          params,
        );
        await client.query('commit');
      } finally {
        client.release();
      }
      return [performance.now() - started];
    };
    await run('raw pg warm-up', WARMUP, raw, false);
    await run('raw pg ceiling (invoice + 20 lines, 1 tx)', COUNT, raw, true);
    await pool.end();
  }
} finally {
  await h.close();
}

async function run(name: string, count: number, one: () => Promise<number[]>, print: boolean) {
  const samples: number[][] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        next++;
        samples.push(await one());
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  if (!print) return;
  const pct = (index: number, p: number) => {
    const sorted = samples.map((s) => s[index] ?? 0).sort((a, b) => a - b);
    return (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0).toFixed(1);
  };
  console.log(
    `${name}: ${count} in ${seconds.toFixed(2)} s = ${(count / seconds).toFixed(1)}/s, ${CONCURRENCY} in flight; ` +
      `total p50 ${pct(0, 50)} p99 ${pct(0, 99)} ms` +
      (samples[0]?.length === 3
        ? `; create p50 ${pct(1, 50)} p99 ${pct(1, 99)}; issue p50 ${pct(2, 50)} p99 ${pct(2, 99)}`
        : ''),
  );
}

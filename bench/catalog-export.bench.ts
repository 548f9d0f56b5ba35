/**
 * Catalog bench: export of 100,000 products (CSV and XLSX; rows/s, peak RSS of the catalog
 * process) and bulk update of 1,000 products (`PATCH /v1/products`, ms).
 *
 * The catalog runs as production runs it: the built bundle (`node dist/catalog/main.js`, with the
 * platform's Node flags, `ROLE=all`) on a fresh database it migrates itself, with tokens from a
 * stand-in issuer's JWKS. The products of one organization are seeded in one SQL statement. Peak RSS
 * is the kernel's high-water mark (VmHWM), reset before each export where allowed. Beside each export
 * the bench measures its ceiling in the same run: the same rows read straight from Postgres by `pg`
 * (keyset batches of 1,000) and written as CSV lines, with no HTTP and no service around them.
 *
 * Run: `npx tsx bench/catalog-export.bench.ts` (`PRODUCTS=` for another size, `CATALOG_NODE_ARGS=`
 * for extra Node flags of the catalog process). Results: `bench/catalog-export.md`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import { createTestDatabase, startTestIssuer } from '@invoice/platform-testing';
import { ensureBuilt, freePort, spawnService, stopChildren, waitForHttp } from '../scripts/lib/dev-env.ts';

const PRODUCTS = Number(process.env.PRODUCTS ?? 100_000);

async function memoryOf(pid: number): Promise<{ rssMb: number; peakMb: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** Resets the kernel's peak RSS counter of a process (writes 5 to clear_refs), when allowed. */
async function resetPeak(pid: number): Promise<void> {
  await writeFile(`/proc/${pid}/clear_refs`, '5').catch(() => undefined);
}

/** The ceiling: the same rows read by plain `pg` in keyset batches and turned into CSV lines. */
async function rawExport(
  databaseUrl: string,
  table: string,
  orgId: string,
): Promise<{ rows: number; ms: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const t0 = performance.now();
  let rows = 0;
  let bytes = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  try {
    for (;;) {
      const batch = await client.query<Record<string, unknown>>(
        `select id, name, description, sku, unit_price::text, currency, unit_code, vat_rate::text, attributes
         from ${table} where org_id = $1 and id > $2 order by id limit 1000`,
        [orgId, after],
      );
      if (batch.rows.length === 0) break;
      for (const row of batch.rows) {
        bytes += Object.values(row)
          .map((value) => (typeof value === 'object' ? JSON.stringify(value) : String(value)))
          .join(',').length;
      }
      rows += batch.rows.length;
      after = String(batch.rows.at(-1)?.id);
    }
  } finally {
    await client.end();
  }
  if (bytes === 0) throw new Error('the raw export read nothing');
  return { rows, ms: performance.now() - t0 };
}

await ensureBuilt();
const database = await createTestDatabase();
const issuer = await startTestIssuer();
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const nodeArgs = (process.env.CATALOG_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
const child = spawnService(
  'catalog',
  {
    PORT: String(port),
    DATABASE_URL: database.url,
    AUTH_JWKS_URL: issuer.jwksUrl,
    NATS_NAMESPACE: `bench_${randomUUID().slice(0, 8)}`,
    LOG_LEVEL: 'warn',
    ROLE: 'all',
  },
  { output: 'inherit', nodeArgs },
);

try {
  await waitForHttp(`${url}/readyz`);
  const pid = child.pid!;
  const orgId = randomUUID();
  const token = await issuer.sign({ orgId, role: 'member', permissions: ['products_management'] });
  const auth = { authorization: `Bearer ${token}` };

  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  const schema = (
    await admin.query<{ table_schema: string }>(
      `select table_schema from information_schema.tables where table_name = 'products' limit 1`,
    )
  ).rows[0]?.table_schema;
  const table = `"${schema}".products`;
  const seeded = performance.now();
  await admin.query(
    `insert into ${table} (id, org_id, name, description, sku, unit_price, currency, unit_code, vat_rate, attributes, version, created_at, updated_at)
     select gen_random_uuid(), $1, 'Product ' || n, 'Description of product ' || n, 'SKU-' || n,
            (n % 1000) + 0.99, 'EUR', 'C62', 19, jsonb_build_object('color', 'red', 'size', n % 50), 1, now(), now()
     from generate_series(1, $2::int) as n`,
    [orgId, PRODUCTS],
  );
  await admin.query(`analyze ${table}`);
  await admin.end();
  console.log(`seeded ${PRODUCTS} products in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, load ${os.loadavg()[0]?.toFixed(2)}; Node ${process.version}`,
  );

  const idle = await memoryOf(pid);
  console.log(
    `catalog (node dist/catalog/main.js) idle RSS ${idle.rssMb.toFixed(0)} MB (peak since start ${idle.peakMb.toFixed(0)} MB)`,
  );
  const raw = await rawExport(database.url, table, orgId);
  console.log(
    `ceiling (pg keyset batches → CSV lines, no service): ${raw.rows} rows in ${(raw.ms / 1000).toFixed(2)} s = ${Math.round(raw.rows / (raw.ms / 1000))} rows/s`,
  );
  for (const format of ['csv', 'xlsx'] as const) {
    await resetPeak(pid);
    const t0 = performance.now();
    const response = await fetch(`${url}/v1/products/export?format=${format}`, { headers: auth });
    let bytes = 0;
    let newlines = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      if (format === 'csv') for (const byte of chunk) if (byte === 10) newlines += 1;
    }
    const seconds = (performance.now() - t0) / 1000;
    const memory = await memoryOf(pid);
    const rows = format === 'csv' ? newlines - 1 : PRODUCTS;
    console.log(
      `${format}: ${response.status}, ${rows} rows, ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(2)} s = ` +
        `${Math.round(rows / seconds)} rows/s; catalog peak RSS ${memory.peakMb.toFixed(0)} MB (RSS now ${memory.rssMb.toFixed(0)} MB)`,
    );
  }

  // Bulk update: the first 1,000 products of the list, new price each, three runs.
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${cursor}` : '';
    const page = (await (await fetch(`${url}/v1/products?limit=200${query}`, { headers: auth })).json()) as {
      items: { id: string }[];
      nextCursor: string | null;
    };
    ids.push(...page.items.map((p) => p.id));
    cursor = page.nextCursor;
  } while (ids.length < 1000 && cursor);
  for (let run = 1; run <= 3; run += 1) {
    const body = { items: ids.slice(0, 1000).map((id, i) => ({ id, unitPrice: `${run}${i}.50` })) };
    const t0 = performance.now();
    const response = await fetch(`${url}/v1/products`, {
      method: 'PATCH',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await response.arrayBuffer();
    console.log(
      `bulk update of 1000 products, run ${run}: ${response.status} in ${Math.round(performance.now() - t0)} ms`,
    );
  }
  const end = await memoryOf(pid);
  console.log(`catalog peak RSS over the whole run ${end.peakMb.toFixed(0)} MB`);
} finally {
  await stopChildren([child]);
  await issuer.stop();
  await database.drop();
}

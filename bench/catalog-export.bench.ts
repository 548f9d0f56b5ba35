/**
 * Catalog bench: export of 100,000 products (CSV and XLSX; rows/s, peak RSS of the catalog
 * process) and bulk update of 1,000 products (`PATCH /v1/products`, ms). The catalog runs in its
 * own process (`bench/catalog/server.ts`); its peak RSS is the kernel's high-water mark (VmHWM),
 * read before and after each export (`CATALOG_NODE_ARGS` adds Node flags to it). Run: `npx tsx bench/catalog-export.bench.ts` (`PRODUCTS=`
 * for another size). Results: `bench/catalog-export.md`.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';

const PRODUCTS = Number(process.env.PRODUCTS ?? 100_000);

async function memoryOf(pid: number): Promise<{ rssMb: number; peakMb: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** Resets the kernel's peak RSS counter of a process (writes 5 to clear_refs), when allowed. */
async function resetPeak(pid: number): Promise<void> {
  const { writeFile } = await import('node:fs/promises');
  await writeFile(`/proc/${pid}/clear_refs`, '5').catch(() => undefined);
}

// CATALOG_NODE_ARGS: Node flags of the catalog process, e.g. `--max-old-space-size=128` to show that
// the export runs in a bounded heap (without a cap V8 lets garbage accumulate before collecting).
const nodeArgs = (process.env.CATALOG_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'bench/catalog/server.ts'], {
  env: { ...process.env, PRODUCTS: String(PRODUCTS), LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const lines = createInterface({ input: child.stdout! });
const started = performance.now();
const info = await new Promise<{ url: string; token: string; pid: number }>((resolve, reject) => {
  lines.once('line', (line) => resolve(JSON.parse(line)));
  child.once('exit', (code) => reject(new Error(`catalog exited with ${code}`)));
});
console.log(`catalog up with ${PRODUCTS} products in ${((performance.now() - started) / 1000).toFixed(1)} s`);
const auth = { authorization: `Bearer ${info.token}` };

try {
  const idle = await memoryOf(info.pid);
  console.log(`idle RSS ${idle.rssMb.toFixed(0)} MB (peak so far ${idle.peakMb.toFixed(0)} MB)`);
  for (const format of ['csv', 'xlsx'] as const) {
    await resetPeak(info.pid);
    const t0 = performance.now();
    const response = await fetch(`${info.url}/v1/products/export?format=${format}`, { headers: auth });
    let bytes = 0;
    let newlines = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      if (format === 'csv') for (const byte of chunk) if (byte === 10) newlines += 1;
    }
    const seconds = (performance.now() - t0) / 1000;
    const memory = await memoryOf(info.pid);
    const rows = format === 'csv' ? newlines - 1 : PRODUCTS;
    console.log(
      `${format}: ${response.status}, ${rows} rows, ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(2)} s = ` +
        `${Math.round(rows / seconds)} rows/s; catalog peak RSS ${memory.peakMb.toFixed(0)} MB (RSS now ${memory.rssMb.toFixed(0)} MB)`,
    );
  }

  // Bulk update: the first 1,000 products of the list, new price each, three runs.
  const page = await fetch(`${info.url}/v1/products?limit=200`, { headers: auth });
  const ids: string[] = [];
  let cursor: string | null = null;
  let first = (await page.json()) as { items: { id: string }[]; nextCursor: string | null };
  for (;;) {
    ids.push(...first.items.map((p) => p.id));
    cursor = first.nextCursor;
    if (ids.length >= 1000 || !cursor) break;
    const next = await fetch(`${info.url}/v1/products?limit=200&cursor=${cursor}`, { headers: auth });
    first = (await next.json()) as typeof first;
  }
  for (let run = 1; run <= 3; run += 1) {
    const body = { items: ids.slice(0, 1000).map((id, i) => ({ id, unitPrice: `${run}${i}.50` })) };
    const t0 = performance.now();
    const response = await fetch(`${info.url}/v1/products`, {
      method: 'PATCH',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await response.arrayBuffer();
    console.log(
      `bulk update of 1000 products, run ${run}: ${response.status} in ${Math.round(performance.now() - t0)} ms`,
    );
  }
  const end = await memoryOf(info.pid);
  console.log(`catalog peak RSS over the whole run ${end.peakMb.toFixed(0)} MB`);
} finally {
  child.kill('SIGTERM');
}

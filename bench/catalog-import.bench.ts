/**
 * Catalog bench: import of a 100,000-row, 12-column XLSX (`ROWS=` for another size). Three
 * processes: the catalog app (`bench/catalog/import-server.ts`: harness database, S3, Redis), the
 * import worker alone (`bench/catalog/import-worker.ts`, as the worker role runs it), and the
 * ceiling (`bench/catalog/import-parse.ts`: the same reader on the same file, parsing only). Reports
 * the worker's rows/s (from the import's own startedAt/finishedAt) beside the ceiling's, and the
 * worker's peak RSS (the kernel's VmHWM). Run: `npx tsx bench/catalog-import.bench.ts`. Results:
 * `bench/catalog-import.md`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import ExcelJS from 'exceljs';

const ROWS = Number(process.env.ROWS ?? 100_000);
const NODE_ARGS = (process.env.WORKER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);

async function peakMb(pid: number): Promise<{ rssMb: number; peakMb: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

function start(script: string, args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []) {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script, ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const first = new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { child, first };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

// 1. The file: 12 columns, shared strings (as Excel writes them), a date column and a formula-free sheet.
const dir = await mkdtemp(join(tmpdir(), 'catalog-import-bench-'));
const file = join(dir, 'products.xlsx');
const writer = new ExcelJS.stream.xlsx.WorkbookWriter({
  filename: file,
  useSharedStrings: true,
  useStyles: true,
});
const sheet = writer.addWorksheet('Products');
sheet.columns = [
  { header: 'SKU', key: 'sku' },
  { header: 'Name', key: 'name' },
  { header: 'Description', key: 'description' },
  { header: 'Price', key: 'price' },
  { header: 'Currency', key: 'currency' },
  { header: 'Unit', key: 'unit' },
  { header: 'VAT', key: 'vat' },
  { header: 'Colour', key: 'colour' },
  { header: 'Weight', key: 'weight' },
  { header: 'Released', key: 'released', style: { numFmt: 'yyyy-mm-dd' } },
  { header: 'Active', key: 'active' },
  { header: 'Stock', key: 'stock' },
];
const colours = ['red', 'green', 'blue', 'black'];
for (let n = 1; n <= ROWS; n++) {
  sheet
    .addRow({
      sku: `SKU-${n}`,
      name: `Product ${n}`,
      description: `Description of product ${n}`,
      price: (n % 5000) + 0.99,
      currency: 'EUR',
      unit: 'C62',
      vat: 19,
      colour: colours[n % 4],
      weight: (n % 97) / 4,
      released: new Date(Date.UTC(2020, n % 12, (n % 28) + 1)),
      active: n % 3 !== 0,
      stock: n % 1000,
    })
    .commit();
}
sheet.commit();
await writer.commit();
const size = (await readFile(file)).length;
console.log(`file: ${ROWS} rows × 12 columns, ${(size / 1e6).toFixed(1)} MB`);

// 2. The ceiling: parse only, same reader, fresh process.
const parse = start('bench/catalog/import-parse.ts', [file]);
const ceiling = JSON.parse(await parse.first) as { rows: number; ms: number; peakMb: number };
console.log(
  `parse only: ${ceiling.rows} rows in ${(ceiling.ms / 1000).toFixed(2)} s = ${Math.round((ceiling.rows / ceiling.ms) * 1000)} rows/s, peak RSS ${ceiling.peakMb.toFixed(0)} MB`,
);

// 3. The import: upload + run through HTTP, then the worker process does the job.
const server = start('bench/catalog/import-server.ts', []);
const info = JSON.parse(await server.first) as {
  url: string;
  token: string;
  config: Record<string, unknown>;
};
const auth = { authorization: `Bearer ${info.token}` };
let worker: ReturnType<typeof start> | undefined;
try {
  const form = new FormData();
  form.append('file', new Blob([await readFile(file)]), 'products.xlsx');
  let t0 = performance.now();
  const uploaded = await fetch(`${info.url}/v1/imports`, { method: 'POST', headers: auth, body: form });
  const upload = (await uploaded.json()) as { id: string; sheets: { headerRow: number }[] };
  console.log(
    `upload (checks + analysis + S3): ${uploaded.status} in ${((performance.now() - t0) / 1000).toFixed(2)} s`,
  );
  const parent = await fetch(`${info.url}/v1/categories`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bench' }),
  });
  const parentId = ((await parent.json()) as { id: string }).id;
  const attribute = (column: string, key: string, type: string, extra = {}) => ({
    column,
    target: 'attribute',
    attribute: { key, type, label: key, ...extra },
  });
  const ran = await fetch(`${info.url}/v1/imports/${upload.id}/run`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({
      mode: 'category-per-sheet',
      parentId,
      matchBy: 'sku',
      sheets: [
        {
          sheet: 'Products',
          headerRow: upload.sheets[0]!.headerRow,
          categoryName: 'Products',
          columns: [
            { column: 'A', target: 'sku' },
            { column: 'B', target: 'name' },
            { column: 'C', target: 'description' },
            { column: 'D', target: 'unitPrice' },
            { column: 'E', target: 'currency' },
            { column: 'F', target: 'unitCode' },
            { column: 'G', target: 'vatRate' },
            attribute('H', 'colour', 'enum', { options: colours }),
            attribute('I', 'weight', 'decimal'),
            attribute('J', 'released', 'date'),
            attribute('K', 'active', 'boolean'),
            attribute('L', 'stock', 'number'),
          ],
        },
      ],
    }),
  });
  if (ran.status !== 202) throw new Error(`run answered ${ran.status}: ${await ran.text()}`);

  t0 = performance.now();
  worker = start(
    'bench/catalog/import-worker.ts',
    [],
    { CATALOG_CONFIG: JSON.stringify(info.config) },
    NODE_ARGS,
  );
  await worker.first;
  const idle = await peakMb(worker.child.pid!);
  let status: {
    status: string;
    startedAt: string;
    finishedAt: string;
    counts: { created: number; failed: number };
    errors: unknown[];
  };
  for (;;) {
    status = (await (
      await fetch(`${info.url}/v1/imports/${upload.id}`, { headers: auth })
    ).json()) as typeof status;
    if (['completed', 'failed', 'cancelled'].includes(status.status)) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const wall = (performance.now() - t0) / 1000;
  const memory = await peakMb(worker.child.pid!);
  const jobSeconds = (Date.parse(status.finishedAt) - Date.parse(status.startedAt)) / 1000;
  console.log(
    `import: ${status.status}, created ${status.counts.created}, failed ${status.counts.failed} in ${jobSeconds.toFixed(2)} s = ` +
      `${Math.round(ROWS / jobSeconds)} rows/s (${((ROWS / jobSeconds / (ceiling.rows / (ceiling.ms / 1000))) * 100).toFixed(0)}% of the parse-only ceiling); ` +
      `worker start to done ${wall.toFixed(1)} s`,
  );
  console.log(
    `worker RSS: after start ${idle.rssMb.toFixed(0)} MB, peak ${memory.peakMb.toFixed(0)} MB, now ${memory.rssMb.toFixed(0)} MB`,
  );
  if (status.errors.length > 0) console.log('first errors', status.errors.slice(0, 3));
} finally {
  if (worker) await stop(worker.child);
  await stop(server.child);
  await rm(dir, { recursive: true, force: true });
}

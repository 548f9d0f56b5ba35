/**
 * The ceiling of `bench/catalog-import.bench.ts`: reads every row of an XLSX from disk with the same
 * reader the import uses (exceljs's streaming WorkbookReader through `readRows`) and does nothing
 * else. Prints one JSON line: rows, cells, ms, peak RSS (MB).
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { readRows } from '../../services/catalog/src/imports/rows.ts';

const file = process.argv[2]!;
const started = performance.now();
let rows = 0;
let cells = 0;
for await (const row of readRows('xlsx', createReadStream(file), 'x')) {
  rows++;
  cells += row.cells.length;
}
const ms = performance.now() - started;
const status = await readFile('/proc/self/status', 'utf8');
const peakMb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
process.stdout.write(`${JSON.stringify({ rows, cells, ms, peakMb })}\n`);

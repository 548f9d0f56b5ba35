/**
 * Streams the rows of a stored spreadsheet, one sheet after another, as plain cell values: exceljs's
 * streaming WorkbookReader for XLSX (shared strings and styles cached so date-formatted cells are
 * dates; a formula counts as its cached result; rich text and hyperlinks as their text) and
 * csv-parse for CSV (delimiter `;`, `,` or tab detected from the first lines, quotes, BOM, CRLF).
 * Memory stays flat: rows are handed over one at a time.
 */
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import type { ImportFormat } from './file-check.ts';

/** One cell's value. */
export type CellValue = string | number | boolean | Date | null;

/** One spreadsheet row: its sheet, its 1-based number and its cells (index 0 is column A). */
export interface SheetRow {
  sheet: string;
  row: number;
  cells: CellValue[];
}

/** The rows of every sheet in file order. `csvName` names a CSV's only sheet. */
export function readRows(format: ImportFormat, source: Readable, csvName: string): AsyncGenerator<SheetRow> {
  return format === 'xlsx' ? readXlsx(source) : readCsv(source, csvName);
}

async function* readXlsx(source: Readable): AsyncGenerator<SheetRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  for await (const worksheet of reader) {
    const name = (worksheet as unknown as { name: string }).name;
    for await (const row of worksheet) {
      const values = row.values as unknown[];
      const cells: CellValue[] = [];
      for (let i = 1; i < values.length; i++) cells.push(cellValue(values[i]));
      yield { sheet: name, row: row.number, cells };
    }
  }
}

/** An exceljs cell value as a plain value (formula → its result, rich text → its text). */
export function cellValue(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if ('result' in v || 'formula' in v || 'sharedFormula' in v) return cellValue(v.result);
    if (Array.isArray(v.richText))
      return v.richText.map((part: { text?: string }) => part.text ?? '').join('');
    if ('text' in v) return cellValue(v.text);
    if ('error' in v) return null;
  }
  return String(value);
}

/** The delimiter of a CSV: the one of `;`, `,` and tab that splits the first lines most (outside quotes). */
export function detectDelimiter(head: string): string {
  const lines = head
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .slice(0, 10)
    .filter((line) => line.trim() !== '');
  let best = ',';
  let bestScore = -1;
  for (const delimiter of [',', ';', '\t']) {
    const counts = lines.map((line) => countOutsideQuotes(line, delimiter));
    const score = counts.length === 0 ? 0 : Math.min(...counts) * 1000 + counts.reduce((a, b) => a + b, 0);
    if (score > bestScore) {
      bestScore = score;
      best = delimiter;
    }
  }
  return best;
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let count = 0;
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (char === delimiter && !quoted) count++;
  }
  return count;
}

async function* readCsv(source: Readable, name: string): AsyncGenerator<SheetRow> {
  // The delimiter comes from the first 64 KiB; what was read is put back in front of the rest.
  const iterator = source[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headBytes = 0;
  while (headBytes < 65_536) {
    const next = await iterator.next();
    if (next.done) break;
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value as Uint8Array);
    head.push(chunk);
    headBytes += chunk.length;
  }
  const delimiter = detectDelimiter(Buffer.concat(head).toString('utf8'));
  const rest = Readable.from(
    (async function* () {
      yield* head;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    })(),
  );
  const parser = rest.pipe(
    parse({
      delimiter,
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      info: true,
      max_record_size: 1_000_000,
    }),
  );
  let number = 0;
  for await (const record of parser as AsyncIterable<{ record: string[] }>) {
    number++;
    yield { sheet: name, row: number, cells: record.record.map((cell) => (cell === '' ? null : cell)) };
  }
}

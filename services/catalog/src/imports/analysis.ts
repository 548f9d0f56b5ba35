/**
 * The upload's read of a spreadsheet: every sheet's size, its first rows, and a guess of its header
 * row (the first row that looks like headers: mostly filled, all text, not always row 1). Views of a
 * sheet from any header row are built from the stored first rows, so choosing another header row
 * does not read the file again.
 */
import { AppError } from '@invoice/contracts';
import type { Readable } from 'node:stream';
import type { ImportFormat } from './file-check.ts';
import {
  MAX_HEADER_ROW,
  PREVIEW_ROWS,
  type CellType,
  type SampleCell,
  type SheetAnalysis,
  type SheetView,
} from './model.ts';
import { readRows, type CellValue } from './rows.ts';

const SAMPLE_ROWS = 20;
const SAMPLE_TEXT = 200;
const NUMBER_TEXT = /^[-+]?(\d{1,3}([.,' ]\d{3})+|\d+)([.,]\d+)?$/;
const DATE_TEXT = /^(\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{4})$/;

/** Reads every sheet of the file once. */
export async function analyse(
  format: ImportFormat,
  source: Readable,
  csvName: string,
): Promise<SheetAnalysis[]> {
  const sheets: SheetAnalysis[] = [];
  let current: SheetAnalysis | undefined;
  try {
    for await (const { sheet, row, cells } of readRows(format, source, csvName)) {
      if (current?.name !== sheet) {
        current = { name: sheet, rows: 0, dataRows: 0, preview: [], guessedHeaderRow: null };
        sheets.push(current);
      }
      if (isEmptyRow(cells)) continue;
      current.rows = row;
      current.dataRows++;
      if (row <= PREVIEW_ROWS) {
        while (current.preview.length < row - 1) current.preview.push([]);
        current.preview.push(cells.map(sampleCell));
      }
    }
  } catch (error) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', {
      detail: `the file cannot be read as a spreadsheet: ${String((error as Error).message).slice(0, 200)}`,
      errors: [{ field: '/file', message: 'cannot be read as a spreadsheet', in: 'body' }],
    });
  }
  if (sheets.length === 0 || sheets.every((sheet) => sheet.dataRows === 0)) {
    throw new AppError('VALIDATION_FAILED', {
      detail: 'the file has no rows',
      errors: [{ field: '/file', message: 'has no rows', in: 'body' }],
    });
  }
  for (const sheet of sheets) sheet.guessedHeaderRow = guessHeaderRow(sheet.preview);
  return sheets;
}

/** True when no cell has a value. */
export function isEmptyRow(cells: readonly CellValue[]): boolean {
  return cells.every((cell) => cell === null || (typeof cell === 'string' && cell.trim() === ''));
}

/** A cell as a sample: its text and detected type. */
export function sampleCell(value: CellValue): SampleCell {
  if (value === null) return { value: '', type: 'empty' };
  if (value instanceof Date) return { value: value.toISOString().slice(0, 10), type: 'date' };
  if (typeof value === 'number') return { value: String(value), type: 'number' };
  if (typeof value === 'boolean') return { value: String(value), type: 'boolean' };
  const text = value.trim();
  return { value: text.slice(0, SAMPLE_TEXT), type: textType(text) };
}

function textType(text: string): CellType {
  if (text === '') return 'empty';
  if (NUMBER_TEXT.test(text)) return 'number';
  if (DATE_TEXT.test(text)) return 'date';
  if (/^(true|false)$/i.test(text)) return 'boolean';
  return 'text';
}

/**
 * The first row within {@link MAX_HEADER_ROW} whose cells are all text (repeated names allowed) and
 * cover at least half of the widest row; null when none does.
 */
export function guessHeaderRow(preview: readonly SampleCell[][]): number | null {
  const filled = (cells: readonly SampleCell[]) => cells.filter((cell) => cell.type !== 'empty');
  const width = Math.max(0, ...preview.map((cells) => filled(cells).length));
  if (width === 0) return null;
  const limit = Math.min(preview.length, MAX_HEADER_ROW);
  for (let index = 0; index < limit; index++) {
    const cells = filled(preview[index]!);
    if (cells.length === 0 || cells.length < Math.ceil(width / 2)) continue;
    if (!cells.every((cell) => cell.type === 'text')) continue;
    if (width > 1 && cells.length < 2) continue;
    return index + 1;
  }
  return null;
}

/** Column letters of a 0-based index: 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  }
  return name;
}

/** The 0-based index of column letters. */
export function columnIndex(letters: string): number {
  let index = 0;
  for (const char of letters) index = index * 26 + (char.charCodeAt(0) - 64);
  return index - 1;
}

/** Non-empty rows under `headerRow`: the rows a run of this sheet reads. */
export function dataRowsUnder(sheet: SheetAnalysis, headerRow: number): number {
  const upTo = sheet.preview
    .slice(0, headerRow)
    .filter((cells) => cells.some((c) => c.type !== 'empty')).length;
  return Math.max(0, sheet.dataRows - upTo);
}

/**
 * The sheet seen from `headerRow` (the guessed one when absent): header names by column and up to
 * 20 non-empty rows under it. A header row that is empty or beyond the sheet's last row is 400.
 */
export function sheetView(sheet: SheetAnalysis, headerRow?: number, field = '/headerRow'): SheetView {
  const chosen = headerRow ?? sheet.guessedHeaderRow;
  if (chosen === null)
    return { sheet: sheet.name, rows: sheet.rows, headerRow: null, headers: [], samples: [] };
  checkHeaderRow(sheet, chosen, field);
  const headerCells = sheet.preview[chosen - 1]!;
  const samples: SheetView['samples'] = [];
  for (let index = chosen; index < sheet.preview.length && samples.length < SAMPLE_ROWS; index++) {
    const cells = sheet.preview[index]!;
    if (cells.every((cell) => cell.type === 'empty')) continue;
    samples.push({
      row: index + 1,
      cells: headerCells.map((_, i) => cells[i] ?? { value: '', type: 'empty' }),
    });
  }
  const counts = new Map<string, number>();
  for (const cell of headerCells) {
    if (cell.value !== '')
      counts.set(cell.value.toLowerCase(), (counts.get(cell.value.toLowerCase()) ?? 0) + 1);
  }
  return {
    sheet: sheet.name,
    rows: sheet.rows,
    headerRow: chosen,
    headers: headerCells.map((cell, i) => ({
      column: columnLetter(i),
      name: cell.value,
      duplicate: cell.value !== '' && (counts.get(cell.value.toLowerCase()) ?? 0) > 1,
    })),
    samples,
  };
}

/** A header row must be a non-empty row of the sheet, within the first {@link MAX_HEADER_ROW}. */
export function checkHeaderRow(sheet: SheetAnalysis, headerRow: number, field: string): void {
  const fail = (message: string) => AppError.field('VALIDATION_FAILED', field, message);
  if (headerRow > sheet.rows)
    throw fail(`is beyond the data: sheet "${sheet.name}" has ${sheet.rows} row(s)`);
  if (headerRow > MAX_HEADER_ROW) throw fail(`must be within the first ${MAX_HEADER_ROW} rows`);
  const cells = sheet.preview[headerRow - 1] ?? [];
  if (cells.every((cell) => cell.type === 'empty')) throw fail(`is an empty row of sheet "${sheet.name}"`);
}

/**
 * Streamed exports of lists: CSV (RFC 4180, CRLF, UTF-8 with a BOM so spreadsheets read the
 * encoding; `,` or `;` between fields) and XLSX (exceljs's streaming WorkbookWriter without shared
 * strings, so rows leave as they are written). Rows are read in keyset batches, so memory stays
 * constant however many rows the export has. exceljs is loaded on the first XLSX export (it adds
 * ~30 MB to a process that never writes one).
 */
import { PassThrough, Readable } from 'node:stream';

/** One export column: its header and how a row becomes its cell. */
export interface Column<Row> {
  header: string;
  value: (row: Row) => string | number | boolean | undefined | null;
}

/** The export formats. */
export type ExportFormat = 'csv' | 'xlsx';

/** Content type of each format. */
export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

const BOM = '\uFEFF';

/** One CSV field, quoted when it holds the separator, a quote or a line break (RFC 4180 §2). */
export function csvField(value: string | number | boolean | undefined | null, separator: string): string {
  if (value === undefined || value === null) return '';
  const text = String(value);
  return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV stream: BOM, header line, then one CRLF-terminated line per row. */
export function csvStream<Row>(
  rows: AsyncIterable<Row[]>,
  columns: Column<Row>[],
  separator: ',' | ';',
): Readable {
  const line = (cells: (string | number | boolean | undefined | null)[]) =>
    `${cells.map((cell) => csvField(cell, separator)).join(separator)}\r\n`;
  return Readable.from(
    (async function* () {
      yield BOM + line(columns.map((c) => c.header));
      for await (const batch of rows) {
        yield batch.map((row) => line(columns.map((c) => c.value(row)))).join('');
      }
    })(),
  );
}

/** An XLSX stream with one sheet: a header row, then one row per item; each batch waits for the reader. */
export function xlsxStream<Row>(
  rows: AsyncIterable<Row[]>,
  columns: Column<Row>[],
  sheetName: string,
): Readable {
  const out = new PassThrough();
  void (async () => {
    try {
      const { default: ExcelJS } = await import('exceljs');
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
        stream: out,
        useStyles: false,
        useSharedStrings: false,
      });
      const sheet = workbook.addWorksheet(sheetName);
      sheet.addRow(columns.map((c) => c.header)).commit();
      for await (const batch of rows) {
        for (const row of batch) {
          sheet.addRow(columns.map((c) => c.value(row) ?? null)).commit();
        }
        // Let the zip stream drain before reading the next batch (constant memory).
        if (out.writableNeedDrain) await new Promise((resolve) => out.once('drain', resolve));
      }
      sheet.commit();
      await workbook.commit();
    } catch (error) {
      out.destroy(error as Error);
    }
  })();
  return out;
}

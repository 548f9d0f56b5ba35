/** Spreadsheets generated for the import tests, and the multipart upload of one. */
import { randomUUID } from 'node:crypto';
import type { Category, Product } from '@invoice/contracts';
import ExcelJS from 'exceljs';
import type { ImportView, SheetView } from '../../src/imports/model.ts';
import type { Harness } from './harness.ts';

/** The fields of a problem answer the tests read. */
export interface ProblemFields {
  code?: string;
  detail?: string;
  errors?: { field: string; message: string }[];
}

/** What the import tests read from answers (a success or a problem). */
export type Answer<T> = T & ProblemFields;

/** The answer of an upload. */
export type Uploaded = Answer<{ id: string; format: string; status: string; sheets: SheetView[] }>;

export type { Category, ImportView, Product, SheetView };

/** A multipart/form-data body with one file part. */
export function multipartBody(
  fileName: string,
  bytes: Buffer,
  field = 'file',
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----import${randomUUID()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, bytes, tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** Uploads a file; answers status and parsed body. */
export async function upload(
  h: Harness,
  token: string,
  fileName: string,
  bytes: Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Uploaded }> {
  const body = multipartBody(fileName, bytes);
  const response = await h.app.inject({
    method: 'POST',
    url: '/v1/imports',
    headers: { ...body.headers, ...headers, authorization: `Bearer ${token}` },
    payload: body.payload,
  });
  return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : {} };
}

/** An XLSX workbook's bytes; `build` fills it. */
export async function xlsx(build: (workbook: ExcelJS.Workbook) => void): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  build(workbook);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * Three sheets: "Tools" with a title block and the header on row 4, a formula price, a date
 * attribute (real dates and an Excel serial number), an empty row in the middle, a merged title and
 * a 1,000-character cell; "Paints" with the header on row 1; "Notes" with nothing but text.
 */
export function threeSheetWorkbook(): Promise<Buffer> {
  return xlsx((workbook) => {
    const tools = workbook.addWorksheet('Tools');
    tools.getCell('A1').value = 'Supplier price list 2025';
    tools.mergeCells('A1:E1');
    tools.getCell('A2').value = 'Valid from';
    tools.getCell('B2').value = new Date(Date.UTC(2025, 0, 1));
    tools.addRow([]);
    tools.getRow(4).values = ['SKU', 'Name', 'Price', 'Released', 'Notes'];
    tools.getRow(5).values = ['T-1', 'Hammer', 12.5, new Date(Date.UTC(2024, 2, 15)), 'steel'];
    tools.getRow(6).values = ['T-2', 'Saw', { formula: 'C5*2', result: 25 } as never, 45292, 'wood'];
    // row 7 stays empty
    tools.getRow(8).values = [
      'T-3',
      'Drill',
      1234567.891,
      new Date(Date.UTC(2023, 11, 31)),
      'x'.repeat(1000),
    ];
    tools.getRow(9).values = ['T-4', 'Broken price', 'twelve', new Date(Date.UTC(2023, 11, 31)), ''];
    tools.getColumn(4).numFmt = 'yyyy-mm-dd';
    const paints = workbook.addWorksheet('Paints');
    paints.addRow(['SKU', 'Name', 'Price', 'Colour', 'Colour']);
    paints.addRow(['P-1', 'Red paint', 9.99, 'red', 'dark']);
    paints.addRow(['P-2', 'Blue paint', 1000, 'blue', 'light']);
    const notes = workbook.addWorksheet('Notes');
    notes.addRow(['just', 'some', 'words']);
  });
}

/** A CSV with a BOM, `;` between fields, CRLF, quotes and decimal commas. */
export function semicolonCsv(): Buffer {
  const lines = [
    'Artikel;Bezeichnung;Preis;Gewicht;Aktiv',
    'A-1;"Schraube; verzinkt";1.234,56;0,5;ja',
    'A-2;Mutter;0,10;1,25;nein',
    ';;;;',
    'A-3;"Dübel ""XL""";12;2;ja',
    'A-4;Ohne Preis;;3;ja',
  ];
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

/** Runs an import with the given body; answers status and parsed body. */
export async function run(h: Harness, token: string, id: string, body: unknown) {
  return h.call<Answer<ImportView>>('POST', `/v1/imports/${id}/run`, { token, body });
}

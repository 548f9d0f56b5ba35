import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { columnIndex, columnLetter, guessHeaderRow, sampleCell } from '../../src/imports/analysis.ts';
import { decimalOf, excelSerialDate, RowConverter } from '../../src/imports/convert.ts';
import { checkFileName } from '../../src/imports/file-check.ts';
import type { ImportPlan } from '../../src/imports/model.ts';
import { detectDelimiter, readRows } from '../../src/imports/rows.ts';

describe('import conversions', () => {
  test('decimalOf reads grouped and localised decimals exactly, never through a float', () => {
    assert.equal(decimalOf('1.234,56', ','), '1234.56');
    assert.equal(decimalOf('1,234.56', '.'), '1234.56');
    assert.equal(decimalOf('1 234 567,5', ','), '1234567.5');
    assert.equal(decimalOf('12345678901234.123456', '.'), '12345678901234.123456');
    assert.equal(decimalOf('0,10', ','), '0.1');
    assert.equal(decimalOf(0.1 + 0.2, '.'), '0.30000000000000004');
    assert.equal(decimalOf(1e21, '.'), '1000000000000000000000');
    assert.equal(decimalOf(1000, '.'), '1000');
    assert.throws(() => decimalOf('12.5.3', '.'), /not a number/);
    assert.throws(() => decimalOf('twelve', '.'), /not a number/);
  });

  test('excelSerialDate reads the 1900 date system', () => {
    assert.equal(excelSerialDate(45292), '2024-01-01');
    assert.equal(excelSerialDate(1), '1900-01-01');
    assert.equal(excelSerialDate(61), '1900-03-01');
    assert.throws(() => excelSerialDate(-3), /not a date/);
  });

  test('a row converts by its mapping; each problem names its column', () => {
    const plan: ImportPlan = {
      mode: 'into-category',
      matchBy: 'none',
      decimalSeparator: ',',
      dateOrder: 'DMY',
      defaultCurrency: 'EUR',
      sheets: [],
    };
    const converter = new RowConverter(
      {
        sheet: 's',
        headerRow: 1,
        categoryId: '0190a8e0-0000-7000-8000-000000000001',
        columns: [
          { column: 'A', target: 'name' },
          { column: 'B', target: 'unitPrice' },
          { column: 'C', target: 'attribute', attribute: { key: 'since', type: 'date', label: 'Since' } },
          { column: 'D', target: 'vatRate' },
        ],
      },
      plan,
      [{ key: 'since', label: 'Since', type: 'date' }],
    );
    const ok = converter.convert(['Nut', '1.000,5', '31.12.2024', '23%']);
    assert.deepEqual(ok.fields, {
      name: 'Nut',
      unitPrice: '1000.50',
      currency: 'EUR',
      unitCode: 'C62',
      vatRate: '23',
      attributes: { since: '2024-12-31' },
      categoryId: '0190a8e0-0000-7000-8000-000000000001',
    });
    const bad = converter.convert(['x'.repeat(201), '-1', '31.02.2024', null]);
    assert.deepEqual(
      bad.problems?.map((p) => p.column),
      ['B', 'C'],
    );
    const long = converter.convert(['x'.repeat(201), '1', null, null]);
    assert.equal(long.problems?.[0]?.column, 'A');
  });
});

describe('import files', () => {
  test('column letters round-trip', () => {
    for (const [index, letters] of [
      [0, 'A'],
      [25, 'Z'],
      [26, 'AA'],
      [701, 'ZZ'],
      [702, 'AAA'],
    ] as const) {
      assert.equal(columnLetter(index), letters);
      assert.equal(columnIndex(letters), index);
    }
  });

  test('the header guess skips title rows and rows with numbers or dates', () => {
    const rows = [
      ['Price list'],
      ['Valid from', new Date('2025-01-01')],
      [],
      ['SKU', 'Name', 'Price'],
      ['A', 'B', 3],
    ].map((cells) => cells.map((c) => sampleCell(c as never)));
    assert.equal(guessHeaderRow(rows), 4);
    assert.equal(guessHeaderRow([[1, 2].map((c) => sampleCell(c))]), null);
  });

  test('the CSV delimiter is the one that splits every line', () => {
    assert.equal(detectDelimiter('a;b;c\r\n"x;y",2,3;4;5\r\n'), ';');
    assert.equal(detectDelimiter('a,b,c\n1,2,3\n'), ',');
    assert.equal(detectDelimiter('a\tb\tc\n1\t2,5\t3\n'), '\t');
  });

  test('CSV rows keep quotes, line breaks inside quotes and the BOM out', async () => {
    const csv = '\uFEFFname;note\r\n"A";"two\r\nlines"\r\n\r\nB;"say ""hi"""\r\n';
    const rows = [];
    for await (const row of readRows('csv', Readable.from([Buffer.from(csv)]), 'x')) rows.push(row);
    assert.deepEqual(
      rows.map((r) => [r.row, r.cells]),
      [
        [1, ['name', 'note']],
        [2, ['A', 'two\r\nlines']],
        [3, [null]],
        [4, ['B', 'say "hi"']],
      ],
    );
  });

  test('file names are plain .csv or .xlsx names', () => {
    assert.equal(checkFileName('Prices 2025.XLSX').extension, 'xlsx');
    assert.throws(() => checkFileName('../x.csv'), /path/);
    assert.throws(() => checkFileName('C:\\x.csv'), /path/);
    assert.throws(() => checkFileName('x.pdf'), /only .csv and .xlsx/);
  });
});

/**
 * Spreadsheet imports end to end against real S3 (s3rver), Postgres, Redis and NATS: uploads checked
 * by content, header rows guessed, both modes, conversions, re-runs by SKU, resume after a crash,
 * cancel, the reconciler after a Redis flush, and every bad input answered with a 4xx or a row error.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { crc32, deflateRawSync } from 'node:zlib';
import { waitFor } from '@invoice/platform-testing';
import { newId } from '@invoice/contracts';
import { importProcessor } from '../../src/workers/import.worker.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import {
  run,
  semicolonCsv,
  threeSheetWorkbook,
  upload,
  type Answer,
  type Category,
  type ImportView,
  type Product,
  type SheetView,
} from '../support/imports.ts';

let h: Harness;
let orgId: string;
let owner: string;

before(async () => {
  h = await startHarness({
    s3: true,
    relay: 'manual',
    env: { IMPORT_BATCH_ROWS: '50', RECONCILE_INTERVAL_MS: '200' },
  });
});
after(async () => {
  await h?.close();
});
// Each test in its own organization: SKUs are unique per organization.
beforeEach(async () => {
  orgId = newId();
  owner = await h.token(orgId);
});

const processImport = (importId: string, hooks = {}) =>
  importProcessor(h.deps, hooks)({ id: importId, data: { importId } });

async function category(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const response = await h.call<{ id: string }>('POST', '/v1/categories', {
    token: owner,
    body: { name, ...extra },
  });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body.id;
}

async function products(categoryId: string): Promise<Product[]> {
  const response = await h.call<{ items: Product[] }>(
    'GET',
    `/v1/products?categoryId=${categoryId}&limit=200`,
    {
      token: owner,
    },
  );
  assert.equal(response.status, 200);
  return response.body.items;
}

async function view(id: string, token = owner) {
  return h.call<Answer<ImportView>>('GET', `/v1/imports/${id}`, { token });
}

const csvMapping = (categoryId: string, matchBy = 'none') => ({
  mode: 'into-category',
  categoryId,
  matchBy,
  decimalSeparator: ',',
  defaultCurrency: 'EUR',
  sheets: [
    {
      sheet: 'artikel',
      headerRow: 1,
      columns: [
        { column: 'A', target: 'sku' },
        { column: 'B', target: 'name' },
        { column: 'C', target: 'unitPrice' },
        {
          column: 'D',
          target: 'attribute',
          attribute: { key: 'weight', type: 'decimal', label: 'Weight (kg)', showOnInvoice: true },
        },
        { column: 'E', target: 'attribute', attribute: { key: 'active', type: 'boolean', label: 'Active' } },
      ],
    },
  ],
});

/** A minimal zip archive (deflated entries), for content that no spreadsheet writer would make. */
function zip(entries: { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const compressed = deflateRawSync(entry.data);
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += 30 + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const SPREADSHEET_TYPES = Buffer.from(
  '<?xml version="1.0"?><Types><Override PartName="/xl/workbook.xml" ' +
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
);

describe('spreadsheet imports', () => {
  it('imports a CSV with a BOM, ";" between fields, quotes and decimal commas into a category', async () => {
    const categoryId = await category('Hardware');
    const uploaded = await upload(h, owner, 'artikel.csv', semicolonCsv());
    assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));
    assert.equal(uploaded.body.format, 'csv');
    const sheet = uploaded.body.sheets[0]!;
    assert.equal(sheet.sheet, 'artikel');
    assert.equal(sheet.headerRow, 1);
    assert.deepEqual(
      sheet.headers.map((c) => `${c.column}:${c.name}`),
      ['A:Artikel', 'B:Bezeichnung', 'C:Preis', 'D:Gewicht', 'E:Aktiv'],
    );
    assert.deepEqual(sheet.samples[0]!.cells[1], { value: 'Schraube; verzinkt', type: 'text' });
    assert.deepEqual(sheet.samples[0]!.cells[2], { value: '1.234,56', type: 'number' });

    const started = await run(h, owner, uploaded.body.id, csvMapping(categoryId));
    assert.equal(started.status, 202, JSON.stringify(started.body));
    assert.equal(started.body.status, 'mapped');
    assert.equal(started.body.progress.totalRows, 4);
    await processImport(uploaded.body.id);

    const done = await view(uploaded.body.id);
    assert.equal(done.body.status, 'completed');
    assert.deepEqual(done.body.counts, { created: 3, updated: 0, unchanged: 0, skipped: 1, failed: 1 });
    assert.deepEqual(done.body.errors, [
      { sheet: 'artikel', row: 6, column: 'C', message: 'unitPrice is required' },
    ]);
    const bySku = new Map((await products(categoryId)).map((p) => [p.sku, p]));
    assert.equal(bySku.size, 3);
    assert.equal(bySku.get('A-1')!.name, 'Schraube; verzinkt');
    assert.equal(bySku.get('A-1')!.unitPrice, '1234.56');
    assert.deepEqual(bySku.get('A-1')!.attributes, { weight: '0.5', active: true });
    assert.equal(bySku.get('A-2')!.unitPrice, '0.10');
    assert.deepEqual(bySku.get('A-2')!.attributes, { weight: '1.25', active: false });
    assert.equal(bySku.get('A-3')!.name, 'Dübel "XL"');
    // The category got the mapped attribute definitions through its own write path.
    const cat = await h.call<Category>('GET', `/v1/categories/${categoryId}`, { token: owner });
    assert.deepEqual(
      cat.body.attributes.map((d) => [d.key, d.type, d.showOnInvoice]),
      [
        ['weight', 'decimal', true],
        ['active', 'boolean', false],
      ],
    );
    const completed = (
      await h.events<{ status: string; counts: { created: number } }>('catalog.import.completed.v1')
    ).filter((e) => e.subject === uploaded.body.id);
    assert.equal(completed.length, 1);
    assert.equal(completed[0]!.data.status, 'completed');
    assert.equal(completed[0]!.data.counts.created, 3);
    const upserted = (
      await h.events<{ product: { categoryId?: string; sku?: string; invoiceAttributes?: unknown } }>(
        'catalog.product.upserted.v1',
      )
    ).filter((e) => e.data.product.categoryId === categoryId);
    assert.equal(upserted.length, 3);
    assert.deepEqual(upserted.find((e) => e.data.product.sku === 'A-1')!.data.product.invoiceAttributes, [
      { key: 'weight', label: 'Weight (kg)', value: '0.5' },
    ]);

    const report = await h.app.inject({
      method: 'GET',
      url: `/v1/imports/${uploaded.body.id}/errors`,
      headers: { authorization: `Bearer ${owner}` },
    });
    assert.equal(report.statusCode, 200);
    assert.match(String(report.headers['content-type']), /text\/csv/);
    assert.equal(
      report.body.replace(/^\uFEFF/, ''),
      'sheet,row,column,message\r\nartikel,6,C,unitPrice is required\r\n',
    );
  });

  it('imports an XLSX of three sheets as a category per sheet: header on row 4, formulas, dates, merged and long cells', async () => {
    const parentId = await category('Supplier A');
    const uploaded = await upload(h, owner, 'prices.xlsx', await threeSheetWorkbook());
    assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));
    const sheets = new Map(uploaded.body.sheets.map((s) => [s.sheet, s]));
    const tools = sheets.get('Tools')!;
    assert.equal(tools.headerRow, 4, 'the title block above the headers is not taken for headers');
    assert.deepEqual(
      tools.headers.map((c) => c.name),
      ['SKU', 'Name', 'Price', 'Released', 'Notes'],
    );
    assert.deepEqual(
      tools.samples[1]!.cells[2],
      { value: '25', type: 'number' },
      'a formula shows its cached value',
    );
    assert.deepEqual(tools.samples[0]!.cells[3], { value: '2024-03-15', type: 'date' });
    assert.equal(tools.samples.length, 4, 'the empty row 7 is no sample');
    const paints = sheets.get('Paints')!;
    assert.equal(paints.headerRow, 1);
    assert.deepEqual(
      paints.headers.map((c) => c.duplicate),
      [false, false, false, true, true],
    );
    assert.ok(sheets.has('Notes'));

    // Another header row of the same sheet, and one beyond its data.
    const other = await h.call<Answer<SheetView>>(
      'GET',
      `/v1/imports/${uploaded.body.id}/sheets/Tools?headerRow=2`,
      {
        token: owner,
      },
    );
    assert.equal(other.status, 200);
    assert.equal(other.body.headers[0]!.name, 'Valid from');
    const beyond = await h.call<Answer<SheetView>>(
      'GET',
      `/v1/imports/${uploaded.body.id}/sheets/Tools?headerRow=50`,
      {
        token: owner,
      },
    );
    assert.equal(beyond.status, 400);
    assert.equal(beyond.body.errors![0]!.field, '/headerRow');

    const started = await run(h, owner, uploaded.body.id, {
      mode: 'category-per-sheet',
      parentId,
      defaultCurrency: 'EUR',
      sheets: [
        {
          sheet: 'Tools',
          headerRow: 4,
          categoryName: 'Tools',
          columns: [
            { column: 'A', target: 'sku' },
            { column: 'B', target: 'name' },
            { column: 'C', target: 'unitPrice' },
            {
              column: 'D',
              target: 'attribute',
              attribute: { key: 'released', type: 'date', label: 'Released' },
            },
            { column: 'E', target: 'description' },
          ],
        },
        {
          sheet: 'Paints',
          headerRow: 1,
          categoryName: 'Paints',
          columns: [
            { column: 'A', target: 'sku' },
            { column: 'B', target: 'name' },
            { column: 'C', target: 'unitPrice' },
            {
              column: 'D',
              target: 'attribute',
              attribute: { key: 'colour', type: 'enum', label: 'Colour', options: ['red', 'blue'] },
            },
            { column: 'E', target: 'ignore' },
          ],
        },
      ],
    });
    assert.equal(started.status, 202, JSON.stringify(started.body));
    assert.equal(started.body.categoryIds!.length, 2);
    await processImport(uploaded.body.id);
    const done = await view(uploaded.body.id);
    assert.equal(done.body.status, 'completed');
    assert.deepEqual(done.body.counts, { created: 5, updated: 0, unchanged: 0, skipped: 1, failed: 1 });
    assert.deepEqual(done.body.errors, [
      { sheet: 'Tools', row: 9, column: 'C', message: '"twelve" is not a number' },
    ]);

    const tree = await h.call<Category>('GET', `/v1/categories/${parentId}`, { token: owner });
    assert.equal(tree.status, 200);
    const [toolsId, paintsId] = started.body.categoryIds!;
    const toolsCategory = await h.call<Category>('GET', `/v1/categories/${toolsId}`, { token: owner });
    assert.equal(toolsCategory.body.name, 'Tools');
    assert.equal(toolsCategory.body.parentId, parentId);
    assert.deepEqual(
      toolsCategory.body.attributes.map((d) => d.key),
      ['released'],
    );

    const toolsBySku = new Map((await products(toolsId!)).map((p) => [p.sku, p]));
    assert.equal(toolsBySku.get('T-1')!.attributes.released, '2024-03-15');
    assert.equal(toolsBySku.get('T-2')!.unitPrice, '25.00', 'the formula result is imported');
    assert.equal(toolsBySku.get('T-2')!.attributes.released, '2024-01-01', 'an Excel serial date is a date');
    assert.equal(toolsBySku.get('T-3')!.unitPrice, '1234567.891', 'prices of any size');
    assert.equal(toolsBySku.get('T-3')!.description!.length, 1000, 'a 1,000-character cell is kept whole');
    const paintsBySku = new Map((await products(paintsId!)).map((p) => [p.sku, p]));
    assert.equal(paintsBySku.get('P-2')!.unitPrice, '1000.00');
    assert.deepEqual(
      paintsBySku.get('P-1')!.attributes,
      { colour: 'red' },
      'the ignored column is not imported',
    );
    const all = await h.call<{ items: Product[] }>('GET', `/v1/products?q=paint&limit=100`, { token: owner });
    assert.equal(all.body.items.filter((p) => p.categoryId === paintsId).length, 2);
  });

  it('runs the same file twice with matchBy sku: the second run changes no product', async () => {
    const categoryId = await category('Re-run');
    const first = await upload(h, owner, 'artikel.csv', semicolonCsv());
    await run(h, owner, first.body.id, csvMapping(categoryId, 'sku'));
    await processImport(first.body.id);
    const before = await products(categoryId);
    await h.relayOnce();
    const eventsBefore = (await h.events('catalog.product.upserted.v1')).length;

    const second = await upload(h, owner, 'artikel.csv', semicolonCsv());
    const started = await run(h, owner, second.body.id, csvMapping(categoryId, 'sku'));
    assert.equal(started.status, 202, JSON.stringify(started.body));
    await processImport(second.body.id);
    const done = await view(second.body.id);
    assert.deepEqual(done.body.counts, { created: 0, updated: 0, unchanged: 3, skipped: 1, failed: 1 });
    const after = await products(categoryId);
    assert.deepEqual(after, before, 'same products, same versions');
    assert.equal((await h.events('catalog.product.upserted.v1')).length, eventsBefore);

    // A changed price updates that product only.
    const changed = Buffer.from(semicolonCsv().toString('utf8').replace('0,10', '0,20'));
    const third = await upload(h, owner, 'artikel.csv', changed);
    await run(h, owner, third.body.id, csvMapping(categoryId, 'sku'));
    await processImport(third.body.id);
    assert.deepEqual((await view(third.body.id)).body.counts, {
      created: 0,
      updated: 1,
      unchanged: 2,
      skipped: 1,
      failed: 1,
    });
    const a2 = (await products(categoryId)).find((p) => p.sku === 'A-2')!;
    assert.equal(a2.unitPrice, '0.20');
    assert.equal(a2.version, 2);
  });

  it('resumes after a worker dies mid-batch: every row imported once, counts exact', async () => {
    const categoryId = await category('Resume');
    const lines = ['sku,name,price,currency'];
    for (let i = 1; i <= 230; i++) lines.push(`R-${i},Item ${i},${i}.5,EUR`);
    const uploaded = await upload(h, owner, 'many.csv', Buffer.from(lines.join('\n')));
    const started = await run(h, owner, uploaded.body.id, {
      mode: 'into-category',
      categoryId,
      sheets: [
        {
          sheet: 'many',
          headerRow: 1,
          columns: [
            { column: 'A', target: 'sku' },
            { column: 'B', target: 'name' },
            { column: 'C', target: 'unitPrice' },
            { column: 'D', target: 'currency' },
          ],
        },
      ],
    });
    assert.equal(started.status, 202, JSON.stringify(started.body));
    // Batches of 50: the third dies after writing its products, before committing.
    await assert.rejects(
      processImport(uploaded.body.id, {
        beforeCommit: (batch: number) => {
          if (batch === 3) throw new Error('worker killed');
        },
      }),
      /worker killed/,
    );
    const halfway = await view(uploaded.body.id);
    assert.equal(halfway.body.status, 'running');
    assert.equal(halfway.body.progress.processedRows, 100);
    assert.equal(halfway.body.counts.created, 100);
    assert.equal((await products(categoryId)).length, 100);

    await processImport(uploaded.body.id);
    const done = await view(uploaded.body.id);
    assert.equal(done.body.status, 'completed');
    assert.equal(done.body.counts.created, 230);
    assert.equal(done.body.progress.processedRows, 230);
    assert.equal(done.body.progress.percent, 100);
    const rows = await h.deps.orm.em
      .getConnection()
      .execute<{ count: string }[]>(`select count(*) from catalog.products where category_id = ?`, [
        categoryId,
      ]);
    assert.equal(Number(rows[0]!.count), 230);
    const skus = await h.deps.orm.em
      .getConnection()
      .execute<{ n: string }[]>(
        `select count(distinct sku) as n from catalog.products where category_id = ?`,
        [categoryId],
      );
    assert.equal(Number(skus[0]!.n), 230);
    // A job that runs again after completion does nothing.
    await processImport(uploaded.body.id);
    assert.equal((await view(uploaded.body.id)).body.counts.created, 230);
  });

  it('cancels a running import before its next batch (DELETE), and refuses to cancel it again', async () => {
    const categoryId = await category('Cancel');
    const lines = ['sku,name,price'];
    for (let i = 1; i <= 200; i++) lines.push(`C-${i},Item ${i},${i}`);
    const uploaded = await upload(h, owner, 'cancel.csv', Buffer.from(lines.join('\r\n')));
    await run(h, owner, uploaded.body.id, {
      mode: 'into-category',
      categoryId,
      defaultCurrency: 'PLN',
      sheets: [
        {
          sheet: 'cancel',
          headerRow: 1,
          columns: [
            { column: 'A', target: 'sku' },
            { column: 'B', target: 'name' },
            { column: 'C', target: 'unitPrice' },
          ],
        },
      ],
    });
    let cancelled: { status: number; body: Answer<ImportView> } | undefined;
    await processImport(uploaded.body.id, {
      beforeCommit: async (batch: number) => {
        if (batch === 2)
          cancelled = await h.call<Answer<ImportView>>('DELETE', `/v1/imports/${uploaded.body.id}`, {
            token: owner,
          });
      },
    });
    assert.equal(cancelled?.status, 200);
    assert.equal(cancelled?.body.status, 'cancelled');
    const done = await view(uploaded.body.id);
    assert.equal(done.body.status, 'cancelled');
    assert.equal(done.body.counts.created, 50, 'only the batch committed before the cancel');
    assert.equal((await products(categoryId)).length, 50);
    const again = await h.call<Answer<ImportView>>('DELETE', `/v1/imports/${uploaded.body.id}`, {
      token: owner,
    });
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'IMPORT_STATE_CONFLICT');
  });

  it('loses nothing when Redis is flushed after the run: the reconciler re-enqueues and the worker completes', async () => {
    const categoryId = await category('Reconciled');
    const uploaded = await upload(h, owner, 'artikel.csv', semicolonCsv());
    const started = await run(h, owner, uploaded.body.id, csvMapping(categoryId));
    assert.equal(started.status, 202);
    // The job is gone (as after FLUSHALL) — only this test's queue, under its own prefix.
    await h.deps.importQueue.obliterate({ force: true });
    assert.equal(await h.deps.importQueue.getJob(uploaded.body.id), undefined);
    await h.startWorkers();
    await waitFor(async () => (await view(uploaded.body.id)).body.status === 'completed', {
      timeoutMs: 30_000,
    });
    assert.equal((await view(uploaded.body.id)).body.counts.created, 3);
    assert.equal((await products(categoryId)).length, 3);
  });

  describe('bad input', () => {
    it('refuses a PDF renamed .xlsx, a zip that is no workbook and binary data named .csv (415)', async () => {
      const pdf = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
      const renamed = await upload(h, owner, 'prices.xlsx', pdf);
      assert.equal(renamed.status, 415);
      assert.equal(renamed.body.code, 'UNSUPPORTED_MEDIA_TYPE');
      const docx = zip([
        {
          name: '[Content_Types].xml',
          data: Buffer.from('<Types>wordprocessingml.document.main+xml</Types>'),
        },
      ]);
      assert.equal((await upload(h, owner, 'letter.xlsx', docx)).status, 415);
      assert.equal((await upload(h, owner, 'prices.csv', Buffer.from([0x25, 0x00, 0xff, 0xfe]))).status, 415);
      assert.equal((await upload(h, owner, 'prices.pdf', pdf)).status, 415);
    });

    it('refuses a zip bomb while inflating it (413)', async () => {
      const bomb = zip([
        { name: '[Content_Types].xml', data: SPREADSHEET_TYPES },
        { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(60 * 1024 * 1024, 0x20) },
      ]);
      assert.ok(bomb.length < 200_000, `the bomb is small (${bomb.length} bytes)`);
      const response = await upload(h, owner, 'bomb.xlsx', bomb);
      assert.equal(response.status, 413);
      assert.match(response.body.detail ?? '', /zip bomb/);
    });

    it('refuses a 60 MB file (413), an empty file and a path in the file name (400)', async () => {
      const big = Buffer.alloc(60 * 1024 * 1024, 0x61);
      const tooBig = await upload(h, owner, 'big.csv', big);
      assert.equal(tooBig.status, 413);
      assert.equal(tooBig.body.code, 'PAYLOAD_TOO_LARGE');
      const empty = await upload(h, owner, 'empty.csv', Buffer.alloc(0));
      assert.equal(empty.status, 400);
      assert.equal(empty.body.errors![0]!.field, '/file');
      const path = await upload(h, owner, '../../etc/passwd.csv', Buffer.from('a,b\n1,2\n'));
      assert.equal(path.status, 400);
      assert.equal(path.body.errors![0]!.field, '/file/filename');
      const blankRows = await upload(h, owner, 'blank.csv', Buffer.from('\r\n;;\r\n'));
      assert.equal(blankRows.status, 400);
    });

    it('refuses mappings without a header row, beyond the data, without name or price, and with unknown sheets (400)', async () => {
      const categoryId = await category('Bad mappings');
      const uploaded = await upload(h, owner, 'prices.xlsx', await threeSheetWorkbook());
      const body = (sheet: Record<string, unknown>) => ({
        mode: 'into-category',
        categoryId,
        defaultCurrency: 'EUR',
        sheets: [
          {
            sheet: 'Tools',
            headerRow: 4,
            columns: [
              { column: 'B', target: 'name' },
              { column: 'C', target: 'unitPrice' },
            ],
            ...sheet,
          },
        ],
      });
      const cases: [Record<string, unknown>, string][] = [
        [{ headerRow: 3 }, '/sheets/0/headerRow'], // an empty row: no header row there
        [{ headerRow: 40 }, '/sheets/0/headerRow'], // beyond the data
        [{ sheet: 'Missing' }, '/sheets/0/sheet'],
        [{ columns: [{ column: 'B', target: 'name' }] }, '/sheets/0/columns'],
        [{ columns: [{ column: 'C', target: 'unitPrice' }] }, '/sheets/0/columns'],
        [
          {
            columns: [
              { column: 'B', target: 'name' },
              { column: 'C', target: 'unitPrice' },
              { column: 'Z', target: 'sku' },
            ],
          },
          '/sheets/0/columns/2/column',
        ],
        [
          {
            columns: [
              { column: 'B', target: 'name' },
              { column: 'A', target: 'name' },
              { column: 'C', target: 'unitPrice' },
            ],
          },
          '/sheets/0/columns/1/target',
        ],
      ];
      for (const [sheet, field] of cases) {
        const response = await run(h, owner, uploaded.body.id, body(sheet));
        assert.equal(response.status, 400, `${JSON.stringify(sheet)} → ${JSON.stringify(response.body)}`);
        assert.equal(response.body.errors![0]!.field, field, JSON.stringify(response.body));
      }
      // Notes has only text: no row looks like headers above data, and its one row is all there is.
      const notes = await h.call<Answer<SheetView>>(
        'GET',
        `/v1/imports/${uploaded.body.id}/sheets/Notes?headerRow=2`,
        {
          token: owner,
        },
      );
      assert.equal(notes.status, 400);
      // Nothing was started by the refused runs.
      assert.equal((await view(uploaded.body.id)).body.status, 'uploaded');
    });

    it('answers 404 for another organization’s import, 403 without the permissions, 409 for a second run', async () => {
      const categoryId = await category('Permissions');
      const uploaded = await upload(h, owner, 'artikel.csv', semicolonCsv());
      const stranger = await h.token(newId());
      assert.equal((await view(uploaded.body.id, stranger)).status, 404);
      const plain = await h.member(orgId);
      assert.equal((await upload(h, plain, 'artikel.csv', semicolonCsv())).status, 403);
      assert.equal((await view(uploaded.body.id, plain)).status, 403);
      const productsOnly = await h.member(orgId, ['products_management']);
      const perSheet = await run(h, productsOnly, uploaded.body.id, {
        mode: 'category-per-sheet',
        defaultCurrency: 'EUR',
        sheets: [
          {
            sheet: 'artikel',
            headerRow: 1,
            categoryName: 'X',
            columns: [
              { column: 'B', target: 'name' },
              { column: 'C', target: 'unitPrice' },
            ],
          },
        ],
      });
      assert.equal(perSheet.status, 403);
      assert.equal((await run(h, productsOnly, uploaded.body.id, csvMapping(categoryId))).status, 202);
      const second = await run(h, owner, uploaded.body.id, csvMapping(categoryId));
      assert.equal(second.status, 409);
      assert.equal(second.body.code, 'IMPORT_STATE_CONFLICT');
    });

    it('replays an upload with the same Idempotency-Key instead of storing the file twice', async () => {
      const headers = { 'idempotency-key': `upload-${newId()}` };
      const first = await upload(h, owner, 'artikel.csv', semicolonCsv(), headers);
      const again = await upload(h, owner, 'artikel.csv', semicolonCsv(), headers);
      assert.equal(first.status, 201);
      assert.equal(again.status, 201);
      assert.equal(again.body.id, first.body.id);
      const other = await upload(h, owner, 'other.csv', semicolonCsv(), headers);
      assert.equal(other.status, 422);
    });
  });
});

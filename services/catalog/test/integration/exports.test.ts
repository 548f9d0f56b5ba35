import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { clientBody, productBody, startHarness, type Harness } from '../support/harness.ts';

let h: Harness;
let token: string;

before(async () => {
  h = await startHarness();
  token = await h.member(randomUUID(), ['category_management', 'products_management']);
});
after(() => h?.close());

/** RFC 4180 parser for the test: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string, separator = ','): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === separator) {
      record.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 1;
    } else field += char;
  }
  return records;
}

async function download(url: string) {
  const response = await h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  return response;
}

const tricky = [
  { name: 'Plain widget', sku: 'EXP-1', unitPrice: '10', attributes: { color: 'red' } },
  { name: 'Comma, "quoted" and; semi', sku: 'EXP-2', unitPrice: '0.125', description: 'Line one\nLine two' },
  { name: 'Zażółć gęślą jaźń €', sku: 'EXP-3', unitPrice: '9999.5', vatRate: '7.5' },
];

describe('product export', () => {
  test('CSV round-trip: BOM, header, RFC 4180 quoting; parsed rows equal the products', async () => {
    const category = await h.call<{ id: string }>('POST', '/v1/categories', {
      token,
      body: { name: 'Export', attributes: [{ key: 'color', label: 'Colour', type: 'text' }] },
    });
    const created: Record<string, unknown>[] = [];
    for (const product of tricky) {
      const response = await h.call('POST', '/v1/products', {
        token,
        body: productBody({ ...product, categoryId: category.body.id }),
      });
      assert.equal(response.status, 201, JSON.stringify(response.body));
      created.push(response.body);
    }
    for (const separator of [',', ';'] as const) {
      const query = separator === ';' ? '&separator=semicolon' : '';
      const response = await download(`/v1/products/export?categoryId=${category.body.id}${query}`);
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /^text\/csv; charset=utf-8/);
      assert.match(
        String(response.headers['content-disposition']),
        /attachment; filename="products-.*\.csv"/,
      );
      assert.ok(response.body.startsWith('\uFEFF'), 'starts with a BOM');
      const [header, ...rows] = parseCsv(response.body.slice(1), separator);
      assert.deepEqual(header, [
        'id',
        'name',
        'sku',
        'description',
        'unitPrice',
        'currency',
        'unitCode',
        'vatRate',
        'categoryId',
        'archivedAt',
        'attributes',
        'attribute:color',
      ]);
      const parsed = rows.map((cells) => Object.fromEntries(header!.map((key, i) => [key, cells[i]])));
      assert.deepEqual(
        parsed.map((row) => ({
          id: row.id,
          name: row.name,
          sku: row.sku,
          description: row.description || undefined,
          unitPrice: row.unitPrice,
          vatRate: row.vatRate || undefined,
          attributes: JSON.parse(row.attributes!),
        })),
        created.map((p) => ({
          id: p.id,
          name: p.name,
          sku: p.sku,
          description: p.description,
          unitPrice: p.unitPrice,
          vatRate: p.vatRate,
          attributes: p.attributes,
        })),
      );
      assert.equal(parsed[0]!['attribute:color'], 'red');
    }
  });

  test('XLSX round-trip: the sheet has the same products and columns', async () => {
    const response = await download('/v1/products/export?format=xlsx&q=EXP-&sort=name');
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /spreadsheetml/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Products')!;
    const values = sheet.getSheetValues().filter(Boolean) as unknown[][];
    const header = values[0]!.slice(1);
    const rows = values
      .slice(1)
      .map((cells) => Object.fromEntries(header.map((key, i) => [key, cells[i + 1]])));
    assert.deepEqual(
      rows.map((row) => [row.name, row.unitPrice, row.sku]),
      [
        ['Comma, "quoted" and; semi', '0.125', 'EXP-2'],
        ['Plain widget', '10.00', 'EXP-1'],
        ['Zażółć gęślą jaźń €', '9999.50', 'EXP-3'],
      ],
    );
  });

  test('the export follows the list filters: archived products are left out by default', async () => {
    const product = await h.call<{ id: string }>('POST', '/v1/products', {
      token,
      body: productBody({ name: 'Hidden', sku: 'EXP-HIDDEN' }),
    });
    await h.call('POST', `/v1/products/${product.body.id}/archive`, { token });
    const active = await download('/v1/products/export?q=EXP-HIDDEN');
    assert.equal(parseCsv(active.body.slice(1)).length, 1, 'header only');
    const archived = await download('/v1/products/export?q=EXP-HIDDEN&status=archived');
    assert.equal(parseCsv(archived.body.slice(1)).length, 2);
  });

  test('another organization’s category as a filter is 404', async () => {
    const other = await h.member(randomUUID(), ['category_management']);
    const theirs = await h.call<{ id: string }>('POST', '/v1/categories', {
      token: other,
      body: { name: 'X' },
    });
    const response = await download(`/v1/products/export?categoryId=${theirs.body.id}`);
    assert.equal(response.statusCode, 404);
  });

  test('an export larger than one read batch keeps every row once, in order', async () => {
    const org = randomUUID();
    const own = await h.member(org, ['products_management']);
    const ids: string[] = [];
    const items = Array.from({ length: 1005 }, (_, i) => i);
    // Seeded through the API in parallel chunks.
    for (let i = 0; i < items.length; i += 50) {
      const chunk = await Promise.all(
        items.slice(i, i + 50).map((n) =>
          h.call<{ id: string }>('POST', '/v1/products', {
            token: own,
            body: productBody({ name: `Row ${n}` }),
          }),
        ),
      );
      ids.push(...chunk.map((r) => r.body.id));
    }
    const response = await h.app.inject({
      method: 'GET',
      url: '/v1/products/export',
      headers: { authorization: `Bearer ${own}` },
    });
    const rows = parseCsv(response.body.slice(1)).slice(1);
    assert.deepEqual(
      rows.map((r) => r[0]),
      [...ids].sort(),
    );
  });
});

describe('client export', () => {
  test('CSV and XLSX carry the clients with flattened addresses', async () => {
    const created = await h.call<{ id: string }>('POST', '/v1/clients', {
      token,
      body: clientBody({ name: 'Export; Client "One"', invoiceEmails: ['a@x.example', 'b@x.example'] }),
    });
    assert.equal(created.status, 201);
    const csv = await download('/v1/clients/export?separator=semicolon&q=Export');
    const [header, row] = parseCsv(csv.body.slice(1), ';');
    const record = Object.fromEntries(header!.map((key, i) => [key, row![i]]));
    assert.equal(record.id, created.body.id);
    assert.equal(record.name, 'Export; Client "One"');
    assert.equal(record['address.city'], 'Berlin');
    assert.equal(record.invoiceEmails, 'a@x.example b@x.example');

    const xlsx = await download('/v1/clients/export?format=xlsx&q=Export');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const values = workbook.getWorksheet('Clients')!.getSheetValues().filter(Boolean) as unknown[][];
    assert.equal(values[1]![2], 'Export; Client "One"');
  });
});

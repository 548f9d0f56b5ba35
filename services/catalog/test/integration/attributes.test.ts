import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { fields, productBody, startHarness, type Harness } from '../support/harness.ts';

let h: Harness;
let manager: string;

before(async () => {
  h = await startHarness();
  manager = await h.member(randomUUID(), ['category_management', 'products_management']);
});
after(() => h?.close());

type Node = { id: string; version: number; children?: Node[]; inheritedAttributes: { key: string }[] };

async function createCategory(body: Record<string, unknown>) {
  const response = await h.call<Node>('POST', '/v1/categories', { token: manager, body });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body;
}

const allTypes = [
  { key: 'color', label: 'Colour', type: 'text', required: true, showOnInvoice: true },
  { key: 'pieces', label: 'Pieces', type: 'number' },
  { key: 'weight', label: 'Weight (kg)', type: 'decimal' },
  { key: 'madeOn', label: 'Made on', type: 'date' },
  { key: 'fragile', label: 'Fragile', type: 'boolean' },
  { key: 'size', label: 'Size', type: 'enum', options: ['S', 'M', 'L'] },
];

describe('attribute definitions', () => {
  test('subcategories inherit definitions; a product in a subcategory is checked against both', async () => {
    const root = await createCategory({
      name: 'Clothes',
      attributes: [{ key: 'color', label: 'Colour', type: 'text', required: true }],
      children: [
        { name: 'Shirts', attributes: [{ key: 'size', label: 'Size', type: 'enum', options: ['S', 'M'] }] },
      ],
    });
    const shirts = root.children![0]!;
    assert.deepEqual(
      shirts.inheritedAttributes.map((d) => d.key),
      ['color'],
    );
    const missing = await h.call('POST', '/v1/products', {
      token: manager,
      body: productBody({ categoryId: shirts.id, attributes: { size: 'XL' } }),
    });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.code, 'ATTRIBUTE_INVALID');
    assert.deepEqual(fields(missing).sort(), ['/attributes/color', '/attributes/size']);
    const ok = await h.call('POST', '/v1/products', {
      token: manager,
      body: productBody({ categoryId: shirts.id, attributes: { size: 'M', color: 'blue', note: 'free' } }),
    });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.deepEqual(ok.body.attributes, { size: 'M', color: 'blue', note: 'free' });
  });

  test('a subcategory cannot redefine an inherited key', async () => {
    const response = await h.call('POST', '/v1/categories', {
      token: manager,
      body: {
        name: 'Dup',
        attributes: [{ key: 'color', label: 'Colour', type: 'text' }],
        children: [{ name: 'Dup child', attributes: [{ key: 'color', label: 'Color', type: 'text' }] }],
      },
    });
    assert.equal(response.status, 400);
    assert.deepEqual(fields(response), ['/children/0/attributes/0/key']);
  });

  test('each attribute type refuses a wrong value with 400 naming /attributes/<key>', async () => {
    const category = await createCategory({ name: 'Typed', attributes: allTypes });
    const valid = { color: 'red', pieces: 3, weight: '1.25', madeOn: '2026-02-28', fragile: true, size: 'S' };
    const created = await h.call('POST', '/v1/products', {
      token: manager,
      body: productBody({ categoryId: category.id, attributes: valid }),
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const wrong: [string, unknown][] = [
      ['color', 5],
      ['pieces', '3'],
      ['weight', 1.25],
      ['weight', '1,25'],
      ['madeOn', '2026-02-30'],
      ['madeOn', '28.02.2026'],
      ['fragile', 'yes'],
      ['size', 'XL'],
      ['size', true],
    ];
    for (const [key, value] of wrong) {
      const response = await h.call('POST', '/v1/products', {
        token: manager,
        body: productBody({ categoryId: category.id, attributes: { ...valid, [key]: value } }),
      });
      assert.equal(response.status, 400, `${key}=${JSON.stringify(value)}`);
      assert.deepEqual(fields(response), [`/attributes/${key}`], `${key}=${JSON.stringify(value)}`);
    }
    const patched = await h.call('PATCH', `/v1/products/${created.body.id}`, {
      token: manager,
      body: { attributes: { ...valid, pieces: 'many' } },
    });
    assert.equal(patched.status, 400);
    assert.deepEqual(fields(patched), ['/attributes/pieces']);
  });

  test('moving an uncategorized product into a category checks its attributes', async () => {
    const category = await createCategory({
      name: 'Strict',
      attributes: [{ key: 'grade', label: 'Grade', type: 'number', required: true }],
    });
    const product = await h.call('POST', '/v1/products', {
      token: manager,
      body: productBody({ attributes: {} }),
    });
    const url = `/v1/products/${product.body.id}`;
    const refused = await h.call('PATCH', url, { token: manager, body: { categoryId: category.id } });
    assert.equal(refused.status, 400);
    assert.deepEqual(fields(refused), ['/attributes/grade']);
    const moved = await h.call('PATCH', url, {
      token: manager,
      body: { categoryId: category.id, attributes: { grade: 2 } },
    });
    assert.equal(moved.status, 200);
  });
});

describe('changing definitions of categories with products', () => {
  test('a new required attribute, a type change or a removed enum option that products fail is 409 and changes nothing', async () => {
    const category = await createCategory({
      name: 'Guarded defs',
      attributes: [{ key: 'size', label: 'Size', type: 'enum', options: ['S', 'M'] }],
      children: [{ name: 'Guarded child' }],
    });
    const child = category.children![0]!;
    await h.call('POST', '/v1/products', {
      token: manager,
      body: productBody({ categoryId: child.id, attributes: { size: 'M' } }),
    });
    const url = `/v1/categories/${category.id}`;
    const changes = [
      [
        { key: 'size', label: 'Size', type: 'enum', options: ['S', 'M'] },
        { key: 'ean', label: 'EAN', type: 'text', required: true },
      ],
      [{ key: 'size', label: 'Size', type: 'number' }],
      [{ key: 'size', label: 'Size', type: 'enum', options: ['S', 'L'] }],
    ];
    for (const attributes of changes) {
      const response = await h.call('PATCH', url, { token: manager, body: { attributes } });
      assert.equal(response.status, 409, JSON.stringify(attributes));
      assert.equal(response.body.code, 'ATTRIBUTE_DEFINITION_CONFLICT');
      assert.match(String(response.body.detail), /1 existing product/);
    }
    const unchanged = await h.call<Node & { attributes: unknown[] }>('GET', url, { token: manager });
    assert.equal(unchanged.body.version, 1);
  });

  test('compatible changes pass; removing a definition keeps the value as a free attribute', async () => {
    const category = await createCategory({
      name: 'Loose defs',
      attributes: [{ key: 'size', label: 'Size', type: 'enum', options: ['S', 'M'] }],
    });
    const product = await h.call('POST', '/v1/products', {
      token: manager,
      body: productBody({ categoryId: category.id, attributes: { size: 'M' } }),
    });
    const url = `/v1/categories/${category.id}`;
    const widened = await h.call('PATCH', url, {
      token: manager,
      body: {
        attributes: [
          { key: 'size', label: 'Size', type: 'enum', options: ['S', 'M', 'L'], required: true },
          { key: 'note', label: 'Note', type: 'text' },
        ],
      },
    });
    assert.equal(widened.status, 200, JSON.stringify(widened.body));
    const removed = await h.call('PATCH', url, { token: manager, body: { attributes: [] } });
    assert.equal(removed.status, 200);
    const after = await h.call('GET', `/v1/products/${product.body.id}`, { token: manager });
    assert.deepEqual(after.body.attributes, { size: 'M' });
    assert.equal(after.body.version, 1);
  });

  test('moving a category under a parent whose definitions its products fail is 409', async () => {
    const strictParent = await createCategory({
      name: 'Needs EAN',
      attributes: [{ key: 'ean', label: 'EAN', type: 'text', required: true }],
    });
    const loose = await createCategory({ name: 'Loose' });
    await h.call('POST', '/v1/products', { token: manager, body: productBody({ categoryId: loose.id }) });
    const move = await h.call('PATCH', `/v1/categories/${loose.id}`, {
      token: manager,
      body: { parentId: strictParent.id },
    });
    assert.equal(move.status, 409);
    assert.equal(move.body.code, 'ATTRIBUTE_DEFINITION_CONFLICT');
    assert.deepEqual(fields(move), ['/parentId']);
  });
});

describe('product events', () => {
  test('carry the category, the attributes and the invoice-visible ones with their labels (inherited too)', async () => {
    const root = await createCategory({
      name: 'Paint',
      attributes: [{ key: 'color', label: 'Colour', type: 'text', showOnInvoice: true }],
      children: [
        {
          name: 'Wall paint',
          attributes: [
            { key: 'litres', label: 'Litres', type: 'decimal', showOnInvoice: true },
            { key: 'batch', label: 'Batch', type: 'text' },
          ],
        },
      ],
    });
    const wall = root.children![0]!;
    const created = await h.call<{ id: string }>('POST', '/v1/products', {
      token: manager,
      body: productBody({ categoryId: wall.id, attributes: { color: 'white', litres: '2.5', batch: 'B7' } }),
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const events = await h.events<{ product: Record<string, unknown> }>('catalog.product.upserted.v1');
    const snapshot = events.find((e) => e.data.product.id === created.body.id)?.data.product;
    assert.equal(snapshot?.categoryId, wall.id);
    assert.deepEqual(snapshot?.attributes, { color: 'white', litres: '2.5', batch: 'B7' });
    assert.deepEqual(snapshot?.invoiceAttributes, [
      { key: 'color', label: 'Colour', value: 'white' },
      { key: 'litres', label: 'Litres', value: '2.5' },
    ]);
  });
});

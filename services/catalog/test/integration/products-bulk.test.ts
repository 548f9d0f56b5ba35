import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { fields, productBody, startHarness, type Harness } from '../support/harness.ts';

let h: Harness;
let orgId: string;
let manager: string;

before(async () => {
  h = await startHarness();
  orgId = randomUUID();
  manager = await h.member(orgId, ['category_management', 'products_management']);
});
after(() => h?.close());

type Product = {
  id: string;
  name: string;
  version: number;
  sku?: string;
  unitPrice: string;
  archivedAt?: string;
};

async function createProduct(overrides: Record<string, unknown> = {}, token = manager) {
  const response = await h.call<Product>('POST', '/v1/products', { token, body: productBody(overrides) });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body;
}

async function list(query: string, token = manager) {
  const response = await h.call<{ items: Product[]; nextCursor: string | null }>(
    'GET',
    `/v1/products?${query}`,
    {
      token,
    },
  );
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body;
}

describe('product list filters and sorts', () => {
  test('filters by category with or without subcategories', async () => {
    const tree = await h.call<{ id: string; children: { id: string }[] }>('POST', '/v1/categories', {
      token: manager,
      body: { name: 'Tools', children: [{ name: 'Saws' }] },
    });
    const tools = tree.body.id;
    const saws = tree.body.children[0]!.id;
    const hammer = await createProduct({ name: 'Hammer', categoryId: tools });
    const saw = await createProduct({ name: 'Saw', categoryId: saws });
    await createProduct({ name: 'Loose nail' });
    const withSubs = await list(`categoryId=${tools}`);
    assert.deepEqual(withSubs.items.map((p) => p.id).sort(), [hammer.id, saw.id].sort());
    const own = await list(`categoryId=${tools}&descendants=false`);
    assert.deepEqual(
      own.items.map((p) => p.id),
      [hammer.id],
    );
    const stranger = await h.member(randomUUID(), ['admin']);
    const foreign = await h.call('GET', `/v1/products?categoryId=${tools}`, { token: stranger });
    assert.equal(foreign.status, 404);
  });

  test('search matches name or SKU case-insensitively; sorts page through every row once', async () => {
    const org = randomUUID();
    const token = await h.member(org, ['products_management']);
    const prices = ['5', '1.5', '30', '2', '10'];
    for (const [i, price] of prices.entries()) {
      await createProduct(
        { name: `Widget ${String.fromCharCode(69 - i)}`, unitPrice: price, sku: `W-${i}` },
        token,
      );
    }
    await createProduct({ name: 'Gadget', sku: 'wid-x' }, token);
    assert.equal((await list('q=WIDGET', token)).items.length, 5);
    assert.equal((await list('q=wid-X', token)).items[0]?.name, 'Gadget');

    const pageAll = async (sort: string) => {
      const seen: Product[] = [];
      let cursor: string | null = '';
      while (cursor !== null) {
        const page = await list(`q=Widget&limit=2&sort=${sort}${cursor ? `&cursor=${cursor}` : ''}`, token);
        seen.push(...page.items);
        cursor = page.nextCursor;
      }
      return seen;
    };
    assert.deepEqual(
      (await pageAll('name')).map((p) => p.name),
      ['Widget A', 'Widget B', 'Widget C', 'Widget D', 'Widget E'],
    );
    assert.deepEqual(
      (await pageAll('-unitPrice')).map((p) => p.unitPrice),
      ['30.00', '10.00', '5.00', '2.00', '1.50'],
    );
    assert.equal((await pageAll('-createdAt'))[0]?.name, 'Widget A');

    const byName = await list('q=Widget&limit=2&sort=name', token);
    const mixed = await h.call('GET', `/v1/products?sort=unitPrice&cursor=${byName.nextCursor}`, { token });
    assert.equal(mixed.status, 400);
    assert.deepEqual(fields(mixed), ['/cursor']);
  });

  test('archived products leave the default list, show with status=archived, and come back when unarchived', async () => {
    const product = await createProduct({ name: 'Old model', sku: 'ARCH-1' });
    const archived = await h.call<Product>('POST', `/v1/products/${product.id}/archive`, { token: manager });
    assert.equal(archived.status, 200);
    assert.ok(archived.body.archivedAt);
    assert.equal(archived.body.version, 2);
    assert.equal((await list('q=ARCH-1')).items.length, 0);
    assert.equal((await list('q=ARCH-1&status=archived')).items.length, 1);
    assert.equal((await list('q=ARCH-1&status=all')).items.length, 1);
    const again = await h.call<Product>('POST', `/v1/products/${product.id}/archive`, { token: manager });
    assert.equal(again.body.version, 2, 'archiving an archived product changes nothing');
    const back = await h.call<Product>('POST', `/v1/products/${product.id}/unarchive`, { token: manager });
    assert.equal(back.body.archivedAt, undefined);
    assert.equal((await list('q=ARCH-1')).items.length, 1);
  });
});

describe('bulk product changes', () => {
  test('PATCH /v1/products applies every change in one go and bumps only changed products', async () => {
    const a = await createProduct({ name: 'Bulk A' });
    const b = await createProduct({ name: 'Bulk B' });
    const response = await h.call<{ items: Product[] }>('PATCH', '/v1/products', {
      token: manager,
      body: {
        items: [
          { id: a.id, unitPrice: '7' },
          { id: b.id, name: 'Bulk B' },
        ],
      },
    });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.deepEqual(
      response.body.items.map((p) => [p.id, p.unitPrice, p.version]),
      [
        [a.id, '7.00', 2],
        [b.id, '120.50', 1],
      ],
    );
  });

  test('one bad item rejects the whole batch and every failing item is named', async () => {
    const category = await h.call<{ id: string }>('POST', '/v1/categories', {
      token: manager,
      body: { name: 'Bulk typed', attributes: [{ key: 'grade', label: 'Grade', type: 'number' }] },
    });
    const a = await createProduct({ name: 'Atomic A', sku: 'AT-A' });
    const b = await createProduct({ name: 'Atomic B', sku: 'AT-B' });
    const c = await createProduct({ name: 'Atomic C', sku: 'AT-C' });
    const response = await h.call('PATCH', '/v1/products', {
      token: manager,
      body: {
        items: [
          { id: a.id, name: 'Changed A' },
          { id: b.id, categoryId: category.body.id, attributes: { grade: 'high' } },
          { id: c.id, sku: 'AT-A' },
        ],
      },
    });
    assert.equal(response.status, 400);
    assert.deepEqual(fields(response).sort(), ['/items/1/attributes/grade', '/items/2/sku']);
    const fetched = await h.call<Product>('GET', `/v1/products/${a.id}`, { token: manager });
    assert.equal(fetched.body.name, 'Atomic A');
    assert.equal(fetched.body.version, 1);
  });

  test('a schema error in one item is 400 naming /items/<i>/<field>', async () => {
    const a = await createProduct();
    const response = await h.call('PATCH', '/v1/products', {
      token: manager,
      body: { items: [{ id: a.id }, { id: a.id, unitPrice: 'cheap' }] },
    });
    assert.equal(response.status, 400);
    assert.deepEqual(fields(response), ['/items/1/unitPrice']);
  });

  test('another organization’s product inside a bulk body is 404 naming it, and nothing changes', async () => {
    const mine = await createProduct({ name: 'Mine in bulk' });
    const otherOrg = randomUUID();
    const theirs = await createProduct({ name: 'Theirs' }, await h.member(otherOrg, ['products_management']));
    const response = await h.call('PATCH', '/v1/products', {
      token: manager,
      body: {
        items: [
          { id: mine.id, name: 'Renamed' },
          { id: theirs.id, name: 'Stolen' },
        ],
      },
    });
    assert.equal(response.status, 404);
    assert.deepEqual(fields(response), ['/items/1/id']);
    assert.equal(
      (await h.call('GET', `/v1/products/${mine.id}`, { token: manager })).body.name,
      'Mine in bulk',
    );
    const archive = await h.call('POST', '/v1/products/bulk/archive', {
      token: manager,
      body: { ids: [mine.id, theirs.id] },
    });
    assert.equal(archive.status, 404);
    assert.deepEqual(fields(archive), ['/ids/1']);
    assert.equal(
      (await h.call('GET', `/v1/products/${mine.id}`, { token: manager })).body.archivedAt,
      undefined,
    );
  });

  test('more than 1,000 items is 400', async () => {
    const id = randomUUID();
    const items = Array.from({ length: 1001 }, () => ({ id, name: 'x' }));
    const response = await h.call('PATCH', '/v1/products', { token: manager, body: { items } });
    assert.equal(response.status, 400);
    assert.deepEqual(fields(response), ['/items']);
  });

  test('bulk archive, unarchive and delete change all listed products; a retried delete replays', async () => {
    const a = await createProduct({ name: 'Batch A', sku: 'BATCH-A' });
    const b = await createProduct({ name: 'Batch B', sku: 'BATCH-B' });
    const ids = [a.id, b.id];
    const archived = await h.call<{ items: { id: string; version: number }[] }>(
      'POST',
      '/v1/products/bulk/archive',
      {
        token: manager,
        body: { ids },
      },
    );
    assert.equal(archived.status, 200);
    assert.deepEqual(
      archived.body.items.map((i) => i.version),
      [2, 2],
    );
    assert.equal((await list('q=BATCH-')).items.length, 0);
    await h.call('POST', '/v1/products/bulk/unarchive', { token: manager, body: { ids } });
    assert.equal((await list('q=BATCH-')).items.length, 2);
    const headers = { 'idempotency-key': `bulk-del-${randomUUID()}` };
    const first = await h.call('POST', '/v1/products/bulk/delete', {
      token: manager,
      body: { ids },
      headers,
    });
    const second = await h.call('POST', '/v1/products/bulk/delete', {
      token: manager,
      body: { ids },
      headers,
    });
    assert.equal(first.status, 200);
    assert.deepEqual(second.body, first.body);
    assert.equal((await list('q=BATCH-&status=all')).items.length, 0);
  });

  test('a member without products_management gets 403 on bulk writes', async () => {
    const member = await h.member(orgId, ['category_management']);
    const product = await createProduct();
    const denied = [
      await h.call('PATCH', '/v1/products', {
        token: member,
        body: { items: [{ id: product.id, name: 'x' }] },
      }),
      await h.call('POST', '/v1/products/bulk/delete', { token: member, body: { ids: [product.id] } }),
      await h.call('POST', `/v1/products/${product.id}/archive`, { token: member }),
    ];
    assert.deepEqual(
      denied.map((r) => [r.status, r.body.code]),
      Array(3).fill([403, 'FORBIDDEN']),
    );
  });
});

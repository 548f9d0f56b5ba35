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

type Node = { id: string; name: string; parentId?: string; version: number; children?: Node[] };

async function createCategory(body: Record<string, unknown>, token = manager) {
  const response = await h.call<Node & Record<string, unknown>>('POST', '/v1/categories', { token, body });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body;
}

async function createProduct(overrides: Record<string, unknown>) {
  const response = await h.call('POST', '/v1/products', { token: manager, body: productBody(overrides) });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body as { id: string; version: number; categoryId?: string };
}

describe('category tree', () => {
  test('creates a category with nested children in one request; the tree and the flat list show them', async () => {
    const root = await createCategory({
      name: 'Hardware',
      description: 'Things you can drop',
      children: [
        { name: 'Screws', position: 2, children: [{ name: 'Wood screws' }] },
        { name: 'Nails', position: 1 },
      ],
    });
    assert.equal(root.version, 1);
    assert.deepEqual(
      root.children?.map((c) => c.name),
      ['Nails', 'Screws'],
    );
    const screws = root.children?.[1];
    assert.equal(screws?.children?.[0]?.name, 'Wood screws');
    assert.equal(screws?.children?.[0]?.parentId, screws?.id);

    const tree = await h.call<{ items: Node[] }>('GET', '/v1/categories', { token: manager });
    const hardware = tree.body.items.find((c) => c.id === root.id);
    assert.deepEqual(
      hardware?.children?.map((c) => c.name),
      ['Nails', 'Screws'],
    );

    const flat = await h.call<{ items: Node[] }>('GET', '/v1/categories?view=flat', { token: manager });
    const names = flat.body.items.map((c) => c.name);
    assert.ok(names.indexOf('Hardware') < names.indexOf('Screws'));
    assert.ok(names.indexOf('Screws') < names.indexOf('Wood screws'));
    assert.equal(flat.body.items.find((c) => c.name === 'Wood screws')?.parentId, screws?.id);
    assert.equal(flat.body.items[0]?.children, undefined);
  });

  test('a create that fails in a nested child writes nothing', async () => {
    const response = await h.call('POST', '/v1/categories', {
      token: manager,
      body: {
        name: 'Atomic',
        children: [
          { name: 'Ok' },
          { name: 'Bad', attributes: [{ key: 'size', label: 'Size', type: 'enum' }] },
        ],
      },
    });
    assert.equal(response.status, 400);
    assert.deepEqual(fields(response), ['/children/1/attributes/0/options']);
    const flat = await h.call<{ items: Node[] }>('GET', '/v1/categories?view=flat', { token: manager });
    assert.equal(
      flat.body.items.some((c) => c.name === 'Atomic' || c.name === 'Ok'),
      false,
    );
  });

  test('rename and move bump the version; moving under itself or a descendant is 409 CATEGORY_CYCLE', async () => {
    const a = await createCategory({ name: 'A', children: [{ name: 'B', children: [{ name: 'C' }] }] });
    const b = a.children![0]!;
    const c = b.children![0]!;
    const renamed = await h.call('PATCH', `/v1/categories/${a.id}`, { token: manager, body: { name: 'A2' } });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.name, 'A2');
    assert.equal(renamed.body.version, 2);
    assert.equal(renamed.headers.etag, '"2"');

    for (const target of [a.id, c.id]) {
      const cycle = await h.call('PATCH', `/v1/categories/${a.id}`, {
        token: manager,
        body: { parentId: target },
      });
      assert.equal(cycle.status, 409);
      assert.equal(cycle.body.code, 'CATEGORY_CYCLE');
      assert.deepEqual(fields(cycle), ['/parentId']);
    }
    const moved = await h.call('PATCH', `/v1/categories/${c.id}`, {
      token: manager,
      body: { parentId: null },
    });
    assert.equal(moved.status, 200);
    assert.equal('parentId' in moved.body, false);
    const back = await h.call('PATCH', `/v1/categories/${c.id}`, {
      token: manager,
      body: { parentId: a.id },
    });
    assert.equal(back.body.parentId, a.id);
    const fetched = await h.call<Node>('GET', `/v1/categories/${a.id}`, { token: manager });
    assert.deepEqual(fetched.body.children?.map((n) => n.name).sort(), ['B', 'C']);
  });

  test('a PATCH that changes nothing keeps the version', async () => {
    const a = await createCategory({ name: 'Same', position: 3 });
    const same = await h.call('PATCH', `/v1/categories/${a.id}`, {
      token: manager,
      body: { name: 'Same', position: 3 },
    });
    assert.equal(same.body.version, 1);
  });

  test('If-Match with an old ETag is 412 and changes nothing', async () => {
    const a = await createCategory({ name: 'Tagged' });
    await h.call('PATCH', `/v1/categories/${a.id}`, { token: manager, body: { name: 'Tagged 2' } });
    const stale = await h.call('PATCH', `/v1/categories/${a.id}`, {
      token: manager,
      body: { name: 'Tagged 3' },
      headers: { 'if-match': '"1"' },
    });
    assert.equal(stale.status, 412);
    assert.equal((await h.call('GET', `/v1/categories/${a.id}`, { token: manager })).body.name, 'Tagged 2');
  });

  test('deleting a non-empty category is 409 CATEGORY_NOT_EMPTY naming what is missing; with targets it moves them', async () => {
    const parent = await createCategory({ name: 'Old', children: [{ name: 'Kid' }] });
    const kid = parent.children![0]!;
    const target = await createCategory({ name: 'New home' });
    const product = await createProduct({ categoryId: parent.id, sku: 'DEL-1' });

    const refused = await h.call('DELETE', `/v1/categories/${parent.id}`, { token: manager });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'CATEGORY_NOT_EMPTY');
    assert.deepEqual(fields(refused).sort(), ['/childrenTo', '/productsTo']);
    assert.equal((await h.call('GET', `/v1/categories/${parent.id}`, { token: manager })).status, 200);

    const intoOwnChild = await h.call(
      'DELETE',
      `/v1/categories/${parent.id}?childrenTo=${kid.id}&productsTo=uncategorized`,
      { token: manager },
    );
    assert.equal(intoOwnChild.status, 409);
    assert.equal(intoOwnChild.body.code, 'CATEGORY_CYCLE');

    const deleted = await h.call(
      'DELETE',
      `/v1/categories/${parent.id}?childrenTo=${target.id}&productsTo=${target.id}`,
      { token: manager },
    );
    assert.equal(deleted.status, 204);
    assert.equal((await h.call('GET', `/v1/categories/${parent.id}`, { token: manager })).status, 404);
    const movedKid = await h.call('GET', `/v1/categories/${kid.id}`, { token: manager });
    assert.equal(movedKid.body.parentId, target.id);
    assert.equal(movedKid.body.version, 2);
    const movedProduct = await h.call('GET', `/v1/products/${product.id}`, { token: manager });
    assert.equal(movedProduct.body.categoryId, target.id);
    assert.equal(movedProduct.body.version, 2);
  });

  test('an empty category deletes without targets; products can become uncategorized', async () => {
    const empty = await createCategory({ name: 'Empty' });
    assert.equal((await h.call('DELETE', `/v1/categories/${empty.id}`, { token: manager })).status, 204);
    const full = await createCategory({ name: 'Full' });
    const product = await createProduct({ categoryId: full.id });
    const deleted = await h.call('DELETE', `/v1/categories/${full.id}?productsTo=uncategorized`, {
      token: manager,
    });
    assert.equal(deleted.status, 204);
    const after = await h.call('GET', `/v1/products/${product.id}`, { token: manager });
    assert.equal('categoryId' in after.body, false);
  });

  test('another organization gets 404 for a category, also as parentId, move target and product categoryId', async () => {
    const mine = await createCategory({ name: 'Mine' });
    const otherOrg = randomUUID();
    const stranger = await h.member(otherOrg, ['admin']);
    for (const [method, body] of [['GET'], ['PATCH', { name: 'Stolen' }], ['DELETE']] as const) {
      const response = await h.call(method, `/v1/categories/${mine.id}`, { token: stranger, body });
      assert.equal(response.status, 404, method);
    }
    const asParent = await h.call('POST', '/v1/categories', {
      token: stranger,
      body: { name: 'Child', parentId: mine.id },
    });
    assert.equal(asParent.status, 404);
    assert.deepEqual(fields(asParent), ['/parentId']);
    const theirs = await h.call<Node>('POST', '/v1/categories', {
      token: stranger,
      body: { name: 'Theirs' },
    });
    const move = await h.call('PATCH', `/v1/categories/${theirs.body.id}`, {
      token: stranger,
      body: { parentId: mine.id },
    });
    assert.equal(move.status, 404);
    const product = await h.call('POST', '/v1/products', {
      token: stranger,
      body: productBody({ categoryId: mine.id }),
    });
    assert.equal(product.status, 404);
    assert.deepEqual(fields(product), ['/categoryId']);
    const list = await h.call<{ items: Node[] }>('GET', '/v1/categories?view=flat', { token: stranger });
    assert.deepEqual(
      list.body.items.map((c) => c.name),
      ['Theirs'],
    );
  });

  test('a deleted category is refused as a product categoryId (404 naming /categoryId)', async () => {
    const gone = await createCategory({ name: 'Gone' });
    await h.call('DELETE', `/v1/categories/${gone.id}`, { token: manager });
    const response = await h.call('POST', '/v1/products', {
      token: manager,
      body: productBody({ categoryId: gone.id }),
    });
    assert.equal(response.status, 404);
    assert.deepEqual(fields(response), ['/categoryId']);
  });

  test('a retried create with the same Idempotency-Key creates one category', async () => {
    const headers = { 'idempotency-key': `cat-${randomUUID()}` };
    const body = { name: 'Once', children: [{ name: 'Once child' }] };
    const first = await h.call('POST', '/v1/categories', { token: manager, body, headers });
    const second = await h.call('POST', '/v1/categories', { token: manager, body, headers });
    assert.equal(first.status, 201);
    assert.equal(second.body.id, first.body.id);
    const flat = await h.call<{ items: Node[] }>('GET', '/v1/categories?view=flat', { token: manager });
    assert.equal(flat.body.items.filter((c) => c.name === 'Once').length, 1);
  });

  test('creates, changes and deletes are published as category events through the outbox', async () => {
    const created = await createCategory({ name: 'Evented', children: [{ name: 'Evented child' }] });
    await h.call('PATCH', `/v1/categories/${created.id}`, { token: manager, body: { name: 'Evented 2' } });
    await h.call('DELETE', `/v1/categories/${created.id}?childrenTo=root`, { token: manager });
    const upserts = await h.events<{ category: { id: string; name: string; version: number } }>(
      'catalog.category.upserted.v1',
    );
    const mine = upserts.filter((e) => e.data.category.id === created.id).map((e) => e.data.category);
    assert.deepEqual(
      mine.map((c) => [c.name, c.version]),
      [
        ['Evented', 1],
        ['Evented 2', 2],
      ],
    );
    const child = upserts.filter((e) => e.data.category.id === created.children![0]!.id);
    assert.equal(child.length, 2, 'created, then moved to the root');
    const deletes = await h.events<{ categoryId: string; version: number }>('catalog.category.deleted.v1');
    assert.deepEqual(
      deletes.filter((e) => e.data.categoryId === created.id).map((e) => e.data.version),
      [3],
    );
  });
});

describe('category permissions', () => {
  test('a member without category_management may read but not create, change or delete (403 FORBIDDEN)', async () => {
    const category = await createCategory({ name: 'Guarded' });
    const member = await h.member(orgId, ['products_management']);
    assert.equal((await h.call('GET', '/v1/categories', { token: member })).status, 200);
    const url = `/v1/categories/${category.id}`;
    const denied = [
      await h.call('POST', '/v1/categories', { token: member, body: { name: 'Nope' } }),
      await h.call('PATCH', url, { token: member, body: { name: 'Nope' } }),
      await h.call('DELETE', url, { token: member }),
      await h.call('POST', '/v1/categories', { token: member, body: { junk: true } }),
    ];
    assert.deepEqual(
      denied.map((r) => [r.status, r.body.code]),
      Array(4).fill([403, 'FORBIDDEN']),
    );
    assert.equal((await h.call('GET', url, { token: member })).body.name, 'Guarded');
    await createCategory({ name: 'By admin' }, await h.member(orgId, ['admin']));
  });
});

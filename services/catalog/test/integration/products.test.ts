import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { preconditionSuite } from '@invoice/platform-testing';
import { conditionalResource, fields, productBody, startHarness, type Harness } from '../support/harness.ts';

let h: Harness;
let orgId: string;
let manager: string;

before(async () => {
  h = await startHarness();
  orgId = randomUUID();
  manager = await h.member(orgId, ['products_management']);
});
after(() => h?.close());

async function createProduct(overrides: Record<string, unknown> = {}, as = manager) {
  const response = await h.call('POST', '/v1/products', { token: as, body: productBody(overrides) });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response;
}

describe('products', () => {
  test('a product manager creates a product; decimals come back canonical, unit defaults to C62', async () => {
    const created = await createProduct({ unitPrice: '120.5', vatRate: '7.50', unitCode: undefined });
    assert.equal(created.body.version, 1);
    assert.equal(created.headers.etag, '"1"');
    assert.equal(created.body.unitPrice, '120.50');
    assert.equal(created.body.vatRate, '7.5');
    assert.equal(created.body.unitCode, 'C62');
    assert.deepEqual(created.body.attributes, {});
    const fetched = await h.call('GET', `/v1/products/${created.body.id}`, { token: manager });
    assert.deepEqual(fetched.body, created.body);
  });

  test('prices keep six decimals exactly and large prices survive without floats', async () => {
    const fine = await createProduct({ unitPrice: '0.000001' });
    assert.equal(fine.body.unitPrice, '0.000001');
    const large = await createProduct({ unitPrice: '9999999999999.999999' });
    assert.equal(large.body.unitPrice, '9999999999999.999999');
  });

  test('attributes keep their JSON types; category id and description are stored as given', async () => {
    const categoryManager = await h.member(orgId, ['category_management']);
    const category = await h.call('POST', '/v1/categories', {
      token: categoryManager,
      body: { name: 'Mugs' },
    });
    const categoryId = String(category.body.id);
    const attributes = { colour: 'red', weightKg: 1.25, fragile: true, pieces: 1, code: '1', flag: 'true' };
    const created = await createProduct({ attributes, categoryId, description: 'Hand made', sku: 'MUG-1' });
    assert.deepEqual(created.body.attributes, attributes);
    assert.equal(created.body.categoryId, categoryId);
    assert.equal(created.body.description, 'Hand made');
    assert.equal(created.body.sku, 'MUG-1');
  });

  test('PATCH changes sent fields, clears nulls, replaces attributes, and bumps the version', async () => {
    const created = await createProduct({ sku: 'PATCH-1', attributes: { a: 1 } });
    const url = `/v1/products/${created.body.id}`;
    const patched = await h.call('PATCH', url, {
      token: manager,
      body: { unitPrice: '99.90', vatRate: null, sku: null, attributes: { b: 'x' } },
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body.unitPrice, '99.90');
    assert.equal(patched.body.version, 2);
    assert.equal('vatRate' in patched.body, false);
    assert.equal('sku' in patched.body, false);
    assert.deepEqual(patched.body.attributes, { b: 'x' });
    assert.equal(patched.body.name, 'Consulting hour');
  });

  test('a PATCH that only rewrites a price in another notation keeps the version', async () => {
    const created = await createProduct({ unitPrice: '10.5' });
    const same = await h.call('PATCH', `/v1/products/${created.body.id}`, {
      token: manager,
      body: { unitPrice: '10.500000', vatRate: '19.0' },
    });
    assert.equal(same.status, 200);
    assert.equal(same.body.version, 1);
  });

  test('DELETE hides the product and frees its SKU for a new product', async () => {
    const created = await createProduct({ sku: 'REUSE-1' });
    const url = `/v1/products/${created.body.id}`;
    assert.equal((await h.call('DELETE', url, { token: manager })).status, 204);
    assert.equal((await h.call('GET', url, { token: manager })).status, 404);
    assert.equal((await h.call('PATCH', url, { token: manager, body: { name: 'y' } })).status, 404);
    const list = await h.call('GET', '/v1/products?q=REUSE-1', { token: manager });
    assert.deepEqual(list.body.items, []);
    await createProduct({ sku: 'REUSE-1' });
  });

  test('another organization gets 404 for GET, PATCH and DELETE, even as admin', async () => {
    const created = await createProduct();
    const url = `/v1/products/${created.body.id}`;
    const stranger = await h.member(randomUUID(), ['admin']);
    for (const [method, body] of [['GET'], ['PATCH', { name: 'Mine now' }], ['DELETE']] as const) {
      const response = await h.call(method, url, { token: stranger, body });
      assert.equal(response.status, 404, method);
    }
    assert.equal((await h.call('GET', url, { token: manager })).body.name, 'Consulting hour');
  });
});

describe('product permissions', () => {
  test('a member without products_management may read but not create, change or delete (403)', async () => {
    const created = await createProduct();
    const url = `/v1/products/${created.body.id}`;
    const member = await h.member(orgId, ['all_invoices_access']);
    assert.equal((await h.call('GET', url, { token: member })).status, 200);
    assert.equal((await h.call('GET', '/v1/products', { token: member })).status, 200);
    const denied = [
      await h.call('POST', '/v1/products', { token: member, body: productBody() }),
      await h.call('PATCH', url, { token: member, body: { name: 'nope' } }),
      await h.call('DELETE', url, { token: member }),
    ];
    assert.deepEqual(
      denied.map((r) => [r.status, r.body.code]),
      Array(3).fill([403, 'FORBIDDEN']),
    );
    assert.equal((await h.call('GET', url, { token: member })).body.name, 'Consulting hour');
  });

  test('a member without the permission gets 403 before any body validation', async () => {
    const member = await h.member(orgId);
    const response = await h.call('POST', '/v1/products', { token: member, body: { junk: true } });
    assert.equal(response.status, 403);
  });

  test('the admin permission and the owner role may manage products', async () => {
    await createProduct({}, await h.member(orgId, ['admin']));
    await createProduct({}, await h.token(orgId, { role: 'owner' }));
  });
});

describe('product If-Match on PATCH', () => {
  let edits = 0;
  preconditionSuite(async () => {
    const created = await createProduct();
    return conditionalResource(h, {
      method: 'PATCH',
      url: `/v1/products/${created.body.id}`,
      token: manager,
      etag: created.headers.etag,
      body: () => ({ name: `Consulting hour ${++edits}` }),
    });
  });
});

describe('product If-Match on DELETE', () => {
  preconditionSuite(
    async () => {
      const created = await createProduct();
      return conditionalResource(h, {
        method: 'DELETE',
        url: `/v1/products/${created.body.id}`,
        token: manager,
        etag: created.headers.etag,
      });
    },
    { write: 'delete' },
  );
});

describe('product validation', () => {
  /** Creating a product with each of `values` as `field` is 400 VALIDATION_FAILED naming that field only. */
  async function assertRejected(field: string, values: string[]) {
    for (const value of values) {
      const response = await h.call('POST', '/v1/products', {
        token: manager,
        body: productBody({ [field]: value }),
      });
      assert.equal(response.status, 400, value);
      assert.equal(response.body.code, 'VALIDATION_FAILED', value);
      assert.deepEqual(fields(response), [`/${field}`], value);
    }
  }

  test('a currency that is not ISO 4217 is 400 naming /currency', async () => {
    await assertRejected('currency', ['eur', 'EURO', 'XYZ', 'GPB']);
  });

  test('negative, float, over-precise or oversized prices are 400 naming /unitPrice', async () => {
    await assertRejected('unitPrice', ['-1', '-0.01', '1.1234567', '1e3', '12,50', '', '10000000000000']);
  });

  test('a JSON number for unitPrice is 400 naming /unitPrice on create and on PATCH', async () => {
    const created = await h.call('POST', '/v1/products', {
      token: manager,
      body: productBody({ unitPrice: 12.5 }),
    });
    assert.equal(created.status, 400);
    assert.equal(created.body.code, 'VALIDATION_FAILED');
    assert.deepEqual(fields(created), ['/unitPrice']);

    const product = await createProduct({ unitPrice: '10' });
    const url = `/v1/products/${product.body.id}`;
    const patched = await h.call('PATCH', url, { token: manager, body: { unitPrice: 12.5 } });
    assert.equal(patched.status, 400);
    assert.deepEqual(fields(patched), ['/unitPrice']);
    assert.equal((await h.call('GET', url, { token: manager })).body.unitPrice, '10.00');
  });

  test('JSON numbers for money are 400, never coerced or rounded', async () => {
    // Raw JSON: as a JS literal the price would already be rounded to 1234567890123.1235.
    const payload = `{"name":"Float","currency":"EUR","vatRate":19,"unitPrice":1234567890123.123456}`;
    const response = await h.app.inject({
      method: 'POST',
      url: '/v1/products',
      headers: { authorization: `Bearer ${manager}`, 'content-type': 'application/json' },
      payload,
    });
    assert.equal(response.statusCode, 400);
    const errors = (response.json() as { errors: { field: string }[] }).errors;
    assert.deepEqual([...new Set(errors.map((e) => e.field))].sort(), ['/unitPrice', '/vatRate']);
  });

  test('a VAT rate outside 0..100 is 400 naming /vatRate; 0 and 100 are fine', async () => {
    await assertRejected('vatRate', ['100.01', '101', '-5', 'abc']);
    assert.equal((await createProduct({ vatRate: '0' })).body.vatRate, '0');
    assert.equal((await createProduct({ vatRate: '100.000' })).body.vatRate, '100');
  });

  test('missing required fields, bad unit codes, nested or huge attributes are 400 naming each field', async () => {
    const missing = await h.call('POST', '/v1/products', { token: manager, body: { name: 'x' } });
    assert.deepEqual(fields(missing).sort(), ['/currency', '/unitPrice']);
    const unit = await h.call('POST', '/v1/products', {
      token: manager,
      body: productBody({ unitCode: 'kilogram' }),
    });
    assert.deepEqual(fields(unit), ['/unitCode']);
    const nested = await h.call('POST', '/v1/products', {
      token: manager,
      body: productBody({ attributes: { size: { w: 1 } } }),
    });
    assert.equal(nested.status, 400);
    assert.ok(
      fields(nested).every((f) => f.startsWith('/attributes')),
      JSON.stringify(fields(nested)),
    );
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i]));
    const huge = await h.call('POST', '/v1/products', {
      token: manager,
      body: productBody({ attributes: many }),
    });
    assert.deepEqual(fields(huge), ['/attributes']);
  });

  test('PATCH validates like create', async () => {
    const created = await createProduct();
    const url = `/v1/products/${created.body.id}`;
    assert.deepEqual(fields(await h.call('PATCH', url, { token: manager, body: { currency: 'XXX' } })), [
      '/currency',
    ]);
    assert.deepEqual(fields(await h.call('PATCH', url, { token: manager, body: { unitPrice: '-3' } })), [
      '/unitPrice',
    ]);
    assert.deepEqual(fields(await h.call('PATCH', url, { token: manager, body: { unitPrice: null } })), [
      '/unitPrice',
    ]);
  });
});

describe('product SKU', () => {
  test('a SKU already used in the organization is 409 SKU_TAKEN on create and on PATCH', async () => {
    await createProduct({ sku: 'DUP-1' });
    const duplicate = await h.call('POST', '/v1/products', {
      token: manager,
      body: productBody({ sku: 'DUP-1' }),
    });
    assert.equal(duplicate.status, 409);
    assert.equal(duplicate.body.code, 'SKU_TAKEN');
    assert.deepEqual(fields(duplicate), ['/sku']);
    assert.match(String(duplicate.headers['content-type']), /application\/problem\+json/);

    const other = await createProduct({ sku: 'DUP-2' });
    const renamed = await h.call('PATCH', `/v1/products/${other.body.id}`, {
      token: manager,
      body: { sku: 'DUP-1' },
    });
    assert.equal(renamed.status, 409);
    assert.equal(
      (await h.call('GET', `/v1/products/${other.body.id}`, { token: manager })).body.sku,
      'DUP-2',
    );
  });

  test('two organizations may use the same SKU', async () => {
    await createProduct({ sku: 'SHARED-1' });
    await createProduct({ sku: 'SHARED-1' }, await h.member(randomUUID(), ['products_management']));
  });

  test('concurrent creates of one SKU: exactly one wins, the others get 409', async () => {
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        h.call('POST', '/v1/products', { token: manager, body: productBody({ sku: 'RACE-1' }) }),
      ),
    );
    assert.deepEqual(responses.map((r) => r.status).sort(), [201, 409, 409, 409, 409]);
  });
});

describe('product list', () => {
  test('pages return every product exactly once, in creation order', async () => {
    const pagerToken = await h.member(randomUUID(), ['products_management']);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(String((await createProduct({ name: `P${i}` }, pagerToken)).body.id));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `limit=2&cursor=${encodeURIComponent(cursor)}` : 'limit=2';
      const page = await h.call('GET', `/v1/products?${query}`, { token: pagerToken });
      seen.push(...(page.body.items as { id: string }[]).map((item) => item.id));
      cursor = page.body.nextCursor as string | null;
    } while (cursor);
    assert.deepEqual(seen, ids);
  });

  test('q matches part of the name or the SKU', async () => {
    const searchToken = await h.member(randomUUID(), ['products_management']);
    await createProduct({ name: 'Blue mug', sku: 'MUG-BLUE' }, searchToken);
    await createProduct({ name: 'Teapot', sku: 'TEA-9' }, searchToken);
    const names = async (q: string) =>
      (
        (await h.call('GET', `/v1/products?q=${q}`, { token: searchToken })).body.items as { name: string }[]
      ).map((item) => item.name);
    assert.deepEqual(await names('mug'), ['Blue mug']);
    assert.deepEqual(await names('tea-9'), ['Teapot']);
  });
});

describe('product Idempotency-Key', () => {
  test('a retried create with the same key returns the first product, and another organization has its own keys', async () => {
    const key = `create-product-${randomUUID()}`;
    const body = productBody({ sku: 'IDEM-1' });
    const first = await h.call('POST', '/v1/products', {
      token: manager,
      body,
      headers: { 'idempotency-key': key },
    });
    const again = await h.call('POST', '/v1/products', {
      token: manager,
      body,
      headers: { 'idempotency-key': key },
    });
    assert.equal(first.status, 201);
    assert.deepEqual([again.status, again.body.id], [201, first.body.id], 'a replay, not a 409 SKU conflict');
    const otherOrg = await h.member(randomUUID(), ['products_management']);
    const elsewhere = await h.call('POST', '/v1/products', {
      token: otherOrg,
      body,
      headers: { 'idempotency-key': key },
    });
    assert.equal(elsewhere.status, 201);
    assert.notEqual(elsewhere.body.id, first.body.id);
  });
});

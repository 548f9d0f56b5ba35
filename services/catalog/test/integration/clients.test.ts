import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { preconditionSuite } from '@invoice/platform-testing';
import { clientBody, conditionalResource, fields, startHarness, type Harness } from '../support/harness.ts';

let h: Harness;
let orgId: string;
let token: string;

before(async () => {
  h = await startHarness();
  orgId = randomUUID();
  token = await h.member(orgId);
});
after(() => h?.close());

async function createClient(overrides: Record<string, unknown> = {}, as = token) {
  const response = await h.call('POST', '/v1/clients', { token: as, body: clientBody(overrides) });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response;
}

describe('clients', () => {
  test('a plain member creates a client and gets it back with id, version 1, ETag and Location', async () => {
    const created = await createClient();
    const id = String(created.body.id);
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.equal(created.body.version, 1);
    assert.equal(created.headers.etag, '"1"');
    assert.equal(created.headers.location, `/v1/clients/${id}`);
    assert.equal(created.body.email, 'billing@acme.example', 'emails are stored lower-cased');
    assert.deepEqual(created.body.address, {
      line1: 'Hauptstraße 1',
      city: 'Berlin',
      postalCode: '10115',
      country: 'DE',
    });

    const fetched = await h.call('GET', `/v1/clients/${id}`, { token });
    assert.equal(fetched.status, 200);
    assert.equal(fetched.headers.etag, '"1"');
    assert.deepEqual(fetched.body, created.body);
  });

  test('a client needs only a name; absent fields are omitted, not null', async () => {
    const created = await h.call('POST', '/v1/clients', { token, body: { name: 'Solo' } });
    assert.equal(created.status, 201);
    assert.deepEqual(Object.keys(created.body).sort(), ['createdAt', 'id', 'name', 'updatedAt', 'version']);
  });

  test('PATCH changes the sent fields, clears fields sent as null, and bumps the version', async () => {
    const created = await createClient();
    const url = `/v1/clients/${created.body.id}`;
    const patched = await h.call('PATCH', url, {
      token,
      body: { name: 'Acme AG', taxId: null, contact: null },
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body.name, 'Acme AG');
    assert.equal(patched.body.version, 2);
    assert.equal(patched.headers.etag, '"2"');
    assert.equal('taxId' in patched.body, false);
    assert.equal('contact' in patched.body, false);
    assert.equal(patched.body.email, 'billing@acme.example', 'fields not sent stay');
    assert.deepEqual((await h.call('GET', url, { token })).body, patched.body);
  });

  test('a PATCH that changes nothing keeps the version', async () => {
    const created = await createClient();
    const url = `/v1/clients/${created.body.id}`;
    const same = await h.call('PATCH', url, {
      token,
      body: { name: 'Acme GmbH', email: 'BILLING@acme.example' },
    });
    assert.equal(same.status, 200);
    assert.equal(same.body.version, 1);
  });

  test('DELETE hides the client from GET, PATCH, DELETE and the list', async () => {
    const created = await createClient({ name: 'Doomed Ltd' });
    const url = `/v1/clients/${created.body.id}`;
    assert.equal((await h.call('DELETE', url, { token })).status, 204);
    assert.equal((await h.call('GET', url, { token })).status, 404);
    assert.equal((await h.call('PATCH', url, { token, body: { name: 'x' } })).status, 404);
    assert.equal((await h.call('DELETE', url, { token })).status, 404);
    const list = await h.call('GET', '/v1/clients?q=Doomed', { token });
    assert.deepEqual(list.body.items, []);
  });

  test('another organization gets 404 for GET, PATCH and DELETE and an empty list', async () => {
    const created = await createClient();
    const url = `/v1/clients/${created.body.id}`;
    const stranger = await h.member(randomUUID(), ['admin']);
    for (const [method, body] of [['GET'], ['PATCH', { name: 'Mine now' }], ['DELETE']] as const) {
      const response = await h.call(method, url, { token: stranger, body });
      assert.equal(response.status, 404, method);
      assert.equal(response.body.code, 'NOT_FOUND');
    }
    assert.deepEqual((await h.call('GET', '/v1/clients', { token: stranger })).body.items, []);
    assert.equal(
      (await h.call('GET', url, { token })).body.name,
      'Acme GmbH',
      'the owner still sees it unchanged',
    );
  });

  test('without a valid token every route is 401', async () => {
    assert.equal((await h.call('GET', '/v1/clients')).status, 401);
    assert.equal((await h.call('POST', '/v1/clients', { body: clientBody() })).status, 401);
    const expired = await h.issuer.sign({ orgId, expiresIn: '-1m' });
    assert.equal((await h.call('GET', '/v1/clients', { token: expired })).status, 401);
  });
});

describe('client If-Match on PATCH', () => {
  let edits = 0;
  preconditionSuite(async () => {
    const created = await createClient();
    return conditionalResource(h, {
      method: 'PATCH',
      url: `/v1/clients/${created.body.id}`,
      token,
      etag: created.headers.etag,
      body: () => ({ name: `Acme ${++edits}` }),
    });
  });
});

describe('client If-Match on DELETE', () => {
  preconditionSuite(
    async () => {
      const created = await createClient();
      return conditionalResource(h, {
        method: 'DELETE',
        url: `/v1/clients/${created.body.id}`,
        token,
        etag: created.headers.etag,
      });
    },
    { write: 'delete' },
  );
});

describe('client validation', () => {
  test('a currency that is not ISO 4217 is 400 naming /defaultCurrency', async () => {
    for (const defaultCurrency of ['eur', 'EURO', 'XYZ']) {
      const response = await h.call('POST', '/v1/clients', { token, body: clientBody({ defaultCurrency }) });
      assert.equal(response.status, 400, defaultCurrency);
      assert.equal(response.body.code, 'VALIDATION_FAILED');
      assert.deepEqual(fields(response), ['/defaultCurrency'], defaultCurrency);
    }
  });

  test('a country that is not ISO 3166 alpha-2 is 400 naming /address/country', async () => {
    for (const country of ['Germany', 'de', 'QQ']) {
      const address = { line1: 'x', city: 'y', postalCode: '1', country };
      const response = await h.call('POST', '/v1/clients', { token, body: clientBody({ address }) });
      assert.equal(response.status, 400, country);
      assert.deepEqual(fields(response), ['/address/country'], country);
    }
  });

  test('a missing or blank name, a bad email and unknown fields are 400 naming each field', async () => {
    const missing = await h.call('POST', '/v1/clients', { token, body: { email: 'a@b.example' } });
    assert.deepEqual(fields(missing), ['/name']);
    const blank = await h.call('POST', '/v1/clients', { token, body: { name: '   ' } });
    assert.deepEqual(fields(blank), ['/name']);
    const bad = await h.call('POST', '/v1/clients', {
      token,
      body: clientBody({ email: 'not-an-email', id: randomUUID(), paymentTermsDays: -1 }),
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(fields(bad)?.sort(), ['/email', '/id', '/paymentTermsDays']);
  });

  test('PATCH cannot clear the name or set an unknown currency', async () => {
    const created = await createClient();
    const url = `/v1/clients/${created.body.id}`;
    assert.deepEqual(fields(await h.call('PATCH', url, { token, body: { name: null } })), ['/name']);
    assert.deepEqual(fields(await h.call('PATCH', url, { token, body: { defaultCurrency: 'ABC' } })), [
      '/defaultCurrency',
    ]);
  });

  test('a malformed id in the path is 400, not 404 or 500', async () => {
    const response = await h.call('GET', '/v1/clients/42', { token });
    assert.equal(response.status, 400);
  });
});

describe('client list', () => {
  test('pages return every client exactly once, in creation order', async () => {
    const pager = randomUUID();
    const pagerToken = await h.member(pager);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++)
      ids.push(String((await createClient({ name: `Client ${i}` }, pagerToken)).body.id));

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `limit=3&cursor=${encodeURIComponent(cursor)}` : 'limit=3';
      const page = await h.call('GET', `/v1/clients?${query}`, { token: pagerToken });
      assert.equal(page.status, 200);
      const items = page.body.items as { id: string }[];
      assert.ok(items.length <= 3);
      seen.push(...items.map((item) => item.id));
      cursor = page.body.nextCursor as string | null;
      pages += 1;
    } while (cursor);
    assert.deepEqual(seen, ids);
    assert.equal(pages, 3);
  });

  test('q finds clients by the start of the name, case-insensitively, treating % and _ literally', async () => {
    const searcher = randomUUID();
    const searchToken = await h.member(searcher);
    await createClient({ name: 'Northwind Traders' }, searchToken);
    await createClient({ name: 'Contoso 100% Ltd' }, searchToken);
    await createClient({ name: 'Fabrikam' }, searchToken);
    const names = async (q: string) =>
      (
        (await h.call('GET', `/v1/clients?q=${encodeURIComponent(q)}`, { token: searchToken })).body
          .items as {
          name: string;
        }[]
      ).map((item) => item.name);
    assert.deepEqual(await names('NORTH'), ['Northwind Traders']);
    assert.deepEqual(await names('wind'), []);
    assert.deepEqual(await names('contoso 100%'), ['Contoso 100% Ltd']);
    assert.deepEqual(await names('%'), []);
    assert.deepEqual(await names('_'), []);
  });

  test('a cursor that was not issued by the API is 400 naming the cursor', async () => {
    const response = await h.call('GET', '/v1/clients?cursor=garbage', { token });
    assert.equal(response.status, 400);
    assert.deepEqual(fields(response), ['/cursor']);
  });

  test('a limit above 200 is 400', async () => {
    const response = await h.call('GET', '/v1/clients?limit=500', { token });
    assert.equal(response.status, 400);
    assert.deepEqual(fields(response), ['/limit']);
  });
});

describe('client Idempotency-Key', () => {
  test('a retried create with the same key returns the first client and creates nothing new', async () => {
    const key = `create-client-${randomUUID()}`;
    const body = clientBody({ name: 'Retried Ltd' });
    const first = await h.call('POST', '/v1/clients', { token, body, headers: { 'idempotency-key': key } });
    const again = await h.call('POST', '/v1/clients', { token, body, headers: { 'idempotency-key': key } });
    assert.equal(first.status, 201);
    assert.equal(again.status, 201);
    assert.equal(again.body.id, first.body.id);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(again.headers.etag, '"1"');
    const list = await h.call('GET', '/v1/clients?q=Retried', { token });
    assert.equal((list.body.items as unknown[]).length, 1);
  });

  test('the same key with another body is 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const key = `create-client-${randomUUID()}`;
    await h.call('POST', '/v1/clients', { token, body: clientBody(), headers: { 'idempotency-key': key } });
    const reused = await h.call('POST', '/v1/clients', {
      token,
      body: clientBody({ name: 'Other' }),
      headers: { 'idempotency-key': key },
    });
    assert.equal(reused.status, 422);
    assert.equal(reused.body.code, 'IDEMPOTENCY_KEY_REUSED');
  });
});

describe('client search, sort, addresses and archive', () => {
  test('q matches the start of the email or tax id too; sort=-name pages in reverse name order', async () => {
    const token = await h.member(randomUUID());
    await createClient({ name: 'Alpha', email: 'billing@alpha.example', taxId: 'PL5260250274' }, token);
    await createClient({ name: 'Beta', email: 'ap@beta.example', taxId: 'DE123456789' }, token);
    await createClient({ name: 'Gamma', email: undefined, taxId: undefined }, token);
    const names = async (query: string) =>
      ((await h.call('GET', `/v1/clients?${query}`, { token })).body.items as { name: string }[]).map(
        (c) => c.name,
      );
    assert.deepEqual(await names('q=BILLING@'), ['Alpha']);
    assert.deepEqual(await names('q=de1234'), ['Beta']);
    const first = await h.call('GET', '/v1/clients?sort=-name&limit=2', { token });
    const second = await h.call('GET', `/v1/clients?sort=-name&limit=2&cursor=${first.body.nextCursor}`, {
      token,
    });
    assert.deepEqual(
      [...(first.body.items as { name: string }[]), ...(second.body.items as { name: string }[])].map(
        (c) => c.name,
      ),
      ['Gamma', 'Beta', 'Alpha'],
    );
  });

  test('a client keeps a shipping address and several invoice emails; PATCH null clears them', async () => {
    const token = await h.member(randomUUID());
    const created = await createClient(
      {
        shippingAddress: { line1: 'Lager 2', city: 'Hamburg', postalCode: '20095', country: 'DE' },
        invoiceEmails: ['ap@acme.example', 'cfo@acme.example'],
        notes: 'Call before delivery',
      },
      token,
    );
    assert.equal((created.body.shippingAddress as { city: string }).city, 'Hamburg');
    assert.deepEqual(created.body.invoiceEmails, ['ap@acme.example', 'cfo@acme.example']);
    const url = `/v1/clients/${created.body.id}`;
    const bad = await h.call('PATCH', url, { token, body: { invoiceEmails: ['not-an-email'] } });
    assert.equal(bad.status, 400);
    assert.deepEqual(fields(bad), ['/invoiceEmails/0']);
    const cleared = await h.call('PATCH', url, {
      token,
      body: { shippingAddress: null, invoiceEmails: null },
    });
    assert.equal('shippingAddress' in cleared.body, false);
    assert.equal('invoiceEmails' in cleared.body, false);
  });

  test('archiving hides the client from the default list, keeps it readable, and is announced', async () => {
    const token = await h.member(randomUUID());
    const created = await createClient({ name: 'Archivable' }, token);
    const url = `/v1/clients/${created.body.id}`;
    const archived = await h.call('POST', `${url}/archive`, { token });
    assert.equal(archived.status, 200);
    assert.ok(archived.body.archivedAt);
    assert.equal(
      (await h.call<{ items: unknown[] }>('GET', '/v1/clients?q=Archivable', { token })).body.items.length,
      0,
    );
    assert.equal(
      (await h.call<{ items: unknown[] }>('GET', '/v1/clients?q=Archivable&status=archived', { token })).body
        .items.length,
      1,
    );
    assert.equal((await h.call('GET', url, { token })).status, 200);
    const events = await h.events<{ client: { id: string; archived?: boolean; version: number } }>(
      'catalog.client.upserted.v1',
    );
    const last = events.filter((e) => e.data.client.id === created.body.id).at(-1);
    assert.equal(last?.data.client.archived, true);
    const back = await h.call('POST', `${url}/unarchive`, { token });
    assert.equal(back.body.archivedAt, undefined);
    const stranger = await h.member(randomUUID());
    assert.equal((await h.call('POST', `${url}/archive`, { token: stranger })).status, 404);
  });
});

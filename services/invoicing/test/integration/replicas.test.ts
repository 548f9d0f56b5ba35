import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import { RpcSubjects, Subjects, type Invoice, type Problem } from '@invoice/contracts';
import { waitFor } from '@invoice/platform-testing';
import { startHarness, type Harness } from '../support/harness.ts';
import {
  clientSnapshot,
  line,
  organizationSnapshot,
  productSnapshot,
  publishClient,
  publishOrganization,
  publishProduct,
  seedTenant,
} from '../support/factories.ts';

let h: Harness;
before(async () => {
  h = await startHarness({ RPC_TIMEOUT_MS: '300' });
});
after(async () => {
  await h?.close();
});

interface ReplicaRow {
  version: number;
  data: { name: string } | null;
  deleted_at?: string | null;
}

async function replica(tableName: string, id: string): Promise<ReplicaRow | undefined> {
  const rows = await h.deps.orm.em
    .fork()
    .getConnection()
    .execute<ReplicaRow[]>(`select * from "invoicing"."${tableName}" where id = ?`, [id]);
  return rows[0];
}

async function processed(consumer: string, eventId: string): Promise<boolean> {
  const rows = await h.deps.orm.em
    .fork()
    .getConnection()
    .execute(`select 1 from "invoicing"."inbox" where consumer = ? and event_id = ?`, [consumer, eventId]);
  return rows.length > 0;
}

/** Publishes catalog's deletion of a client or product and waits until its replica is marked deleted. */
async function publishDeleted(kind: 'client' | 'product', orgId: string, id: string, version?: number) {
  await h.publish({
    type: kind === 'client' ? Subjects.ClientDeleted : Subjects.ProductDeleted,
    source: 'catalog',
    orgId,
    subject: id,
    data: { [`${kind}Id`]: id, ...(version === undefined ? {} : { version }) },
  });
  await waitFor(async () => (await replica(`${kind}_replicas`, id))?.deleted_at);
}

function createDraft(auth: Record<string, string>, payload: Record<string, unknown>) {
  return h.app.inject({ method: 'POST', url: '/v1/invoices', headers: auth, payload });
}

describe('replicas kept from events', () => {
  it('keeps the highest version of a client, whatever the order of events', async () => {
    const orgId = randomUUID();
    const client = clientSnapshot({ name: 'v2', version: 2 });
    await publishClient(h, orgId, client);
    await h.publish({
      type: Subjects.ClientUpserted,
      source: 'catalog',
      orgId,
      subject: client.id,
      data: { client: { ...client, name: 'v1', version: 1 } },
    });
    await publishClient(h, orgId, { ...client, name: 'v3', version: 3 });
    assert.equal((await replica('client_replicas', client.id))?.data?.name, 'v3');
  });

  it('treats a deleted client as missing and never brings it back', async () => {
    const { orgId, auth } = await seedTenant(h);
    const client = await publishClient(h, orgId, clientSnapshot());
    await publishDeleted('client', orgId, client.id);
    await publishClient(h, orgId, { ...client, version: 5 });
    const response = await createDraft(auth, { clientId: client.id, lines: [line()] });
    assert.equal(response.statusCode, 422);
    assert.equal(response.json<Problem>().code, 'CLIENT_NOT_FOUND');
  });

  it('lets a newer upsert restore a client deleted at an older version, but not an older one', async () => {
    const { orgId, auth } = await seedTenant(h);
    const client = await publishClient(h, orgId, clientSnapshot({ version: 1 }));
    await publishDeleted('client', orgId, client.id, 2);
    const staleUpsert = await h.publish({
      type: Subjects.ClientUpserted,
      source: 'catalog',
      orgId,
      subject: client.id,
      data: { client: { ...client, version: 2, name: 'stale' } },
    });
    await waitFor(() => processed('invoicing-client-upserted', staleUpsert.id));
    const stale = await createDraft(auth, { clientId: client.id, lines: [line()] });
    assert.equal(stale.statusCode, 422);
    await publishClient(h, orgId, { ...client, name: 'Restored', version: 3 });
    const row = await replica('client_replicas', client.id);
    assert.equal(row?.deleted_at, null);
    assert.equal(row?.data?.name, 'Restored');
    const restored = await createDraft(auth, { clientId: client.id, lines: [line()] });
    assert.equal(restored.statusCode, 201, restored.body);
  });

  it('treats a deleted product as missing', async () => {
    const { orgId, client, auth } = await seedTenant(h);
    const product = await publishProduct(h, orgId, productSnapshot());
    await publishDeleted('product', orgId, product.id);
    const response = await createDraft(auth, {
      clientId: client.id,
      lines: [line(), { productId: product.id, quantity: '1' }],
    });
    assert.equal(response.statusCode, 422);
    assert.equal(response.json<Problem>().code, 'PRODUCT_NOT_FOUND');
    assert.equal(response.json<Problem>().errors?.[0]?.field, '/lines/1/productId');
  });

  it('updates the seller from organization events', async () => {
    const orgId = randomUUID();
    await publishOrganization(h, organizationSnapshot(orgId, { name: 'Old name' }));
    await publishOrganization(h, organizationSnapshot(orgId, { name: 'New name', version: 2 }));
    assert.equal((await replica('organization_replicas', orgId))?.data?.name, 'New name');
  });
});

describe('asking catalog and auth when a replica is missing', () => {
  it('fetches a missing client by request/reply and stores it', async () => {
    const { orgId, auth } = await seedTenant(h);
    const client = clientSnapshot({ name: 'Fetched Ltd' });
    const sub = h.deps.bus.respond(RpcSubjects.CatalogClientGet, async (payload) => {
      const request = payload as { orgId: string; clientId: string };
      return { client: request.orgId === orgId && request.clientId === client.id ? client : null };
    });
    try {
      const response = await createDraft(auth, { clientId: client.id, lines: [line()] });
      assert.equal(response.statusCode, 201, response.body);
      assert.equal((await replica('client_replicas', client.id))?.data?.name, 'Fetched Ltd');
    } finally {
      sub.unsubscribe();
    }
  });

  it('fetches missing products and the seller by request/reply', async () => {
    const orgId = randomUUID();
    const token = await h.token(orgId);
    const auth = { authorization: `Bearer ${token}` };
    const client = await publishClient(h, orgId, clientSnapshot({ defaultCurrency: undefined }));
    const product = productSnapshot({ name: 'Fetched product', currency: 'CHF', unitPrice: '10' });
    const subs = [
      h.deps.bus.respond(RpcSubjects.CatalogProductGet, async (payload) => ({
        product: (payload as { productId: string }).productId === product.id ? product : null,
      })),
      h.deps.bus.respond(RpcSubjects.AuthOrganizationGet, async (payload) => ({
        organization: organizationSnapshot((payload as { organizationId: string }).organizationId, {
          defaultCurrency: 'CHF',
        }),
      })),
    ];
    try {
      const response = await createDraft(auth, {
        clientId: client.id,
        lines: [{ productId: product.id, quantity: '3' }],
      });
      assert.equal(response.statusCode, 201, response.body);
      const invoice = response.json<Invoice>();
      assert.equal(invoice.currency, 'CHF');
      assert.equal(invoice.lines[0]?.description, 'Fetched product');
      assert.equal(invoice.totals.net, '30.00');
      assert.ok(await replica('product_replicas', product.id));
      assert.ok(await replica('organization_replicas', orgId));
    } finally {
      for (const sub of subs) sub.unsubscribe();
    }
  });

  it('answers 422 CLIENT_NOT_FOUND naming /clientId when catalog does not know the client', async () => {
    const { auth } = await seedTenant(h);
    const sub = h.deps.bus.respond(RpcSubjects.CatalogClientGet, async () => ({ client: null }));
    try {
      const response = await createDraft(auth, { clientId: randomUUID(), lines: [line()] });
      assert.equal(response.statusCode, 422);
      const problem = response.json<Problem>();
      assert.equal(problem.code, 'CLIENT_NOT_FOUND');
      assert.equal(problem.errors?.[0]?.field, '/clientId');
    } finally {
      sub.unsubscribe();
    }
  });

  it('answers 422 PRODUCT_NOT_FOUND naming the line when catalog does not know the product', async () => {
    const { client, auth } = await seedTenant(h);
    const sub = h.deps.bus.respond(RpcSubjects.CatalogProductGet, async () => ({ product: null }));
    try {
      const response = await createDraft(auth, {
        clientId: client.id,
        lines: [line(), line(), { productId: randomUUID(), quantity: '1' }],
      });
      assert.equal(response.statusCode, 422);
      assert.equal(response.json<Problem>().errors?.[0]?.field, '/lines/2/productId');
    } finally {
      sub.unsubscribe();
    }
  });

  it('answers 503 when catalog does not answer in time', async () => {
    const { auth } = await seedTenant(h);
    const sub = h.deps.bus.respond(RpcSubjects.CatalogClientGet, () => new Promise(() => undefined));
    try {
      const started = Date.now();
      const response = await createDraft(auth, { clientId: randomUUID(), lines: [line()] });
      assert.equal(response.statusCode, 503);
      assert.equal(response.json<Problem>().code, 'SERVICE_UNAVAILABLE');
      assert.ok(Date.now() - started < 2_000);
    } finally {
      sub.unsubscribe();
    }
  });

  it('answers 503 when nobody serves the request subject', async () => {
    const { auth } = await seedTenant(h);
    const response = await createDraft(auth, { clientId: randomUUID(), lines: [line()] });
    assert.equal(response.statusCode, 503);
  });
});

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { RpcSubjects, type ClientSnapshot, type ProductSnapshot } from '@invoice/contracts';
import { Bus } from '@invoice/platform-bus';
import { silentLogger } from '@invoice/platform-testing';
import { clientBody, productBody, startHarness, type Harness } from '../support/harness.ts';

let h: Harness;
let caller: Bus;
let orgId: string;
let token: string;

before(async () => {
  // The harness starts the service's responders, as the api role does.
  h = await startHarness();
  // Another connection in the same namespace, as invoicing would be.
  caller = await Bus.connect({
    url: h.config.NATS_URL,
    namespace: h.namespace,
    name: 'invoicing',
    logger: silentLogger(),
  });
  orgId = randomUUID();
  token = await h.member(orgId, ['products_management']);
});
after(async () => {
  await caller?.close();
  await h?.close();
});

describe('catalog RPC responders', () => {
  test('rpc.catalog.client.get answers the snapshot of a live client of the organization', async () => {
    const created = await h.call('POST', '/v1/clients', { token, body: clientBody({ notes: 'internal' }) });
    const clientId = String(created.body.id);
    const reply = await caller.request<{ client: ClientSnapshot | null }>(RpcSubjects.CatalogClientGet, {
      orgId,
      clientId,
    });
    assert.equal(reply.client?.id, clientId);
    assert.equal(reply.client?.name, 'Acme GmbH');
    assert.equal(reply.client?.version, 1);
    assert.equal(reply.client?.defaultCurrency, 'EUR');
    assert.equal('notes' in (reply.client ?? {}), false);
  });

  test('rpc.catalog.product.get answers the snapshot of a live product of the organization', async () => {
    const created = await h.call('POST', '/v1/products', { token, body: productBody({ unitPrice: '12' }) });
    const productId = String(created.body.id);
    const reply = await caller.request<{ product: ProductSnapshot | null }>(RpcSubjects.CatalogProductGet, {
      orgId,
      productId,
    });
    assert.deepEqual(reply.product, {
      id: productId,
      name: 'Consulting hour',
      unitPrice: '12.00',
      currency: 'EUR',
      unitCode: 'HUR',
      vatRate: '19',
      version: 1,
    });
  });

  test('another organization, a deleted item and an unknown id all answer null', async () => {
    const client = await h.call('POST', '/v1/clients', { token, body: clientBody() });
    const product = await h.call('POST', '/v1/products', { token, body: productBody() });
    const clientId = String(client.body.id);
    const productId = String(product.body.id);
    const otherOrg = randomUUID();
    assert.deepEqual(await caller.request(RpcSubjects.CatalogClientGet, { orgId: otherOrg, clientId }), {
      client: null,
    });
    assert.deepEqual(await caller.request(RpcSubjects.CatalogProductGet, { orgId: otherOrg, productId }), {
      product: null,
    });
    assert.equal((await h.call('DELETE', `/v1/products/${productId}`, { token })).status, 204);
    assert.deepEqual(await caller.request(RpcSubjects.CatalogProductGet, { orgId, productId }), {
      product: null,
    });
    assert.deepEqual(await caller.request(RpcSubjects.CatalogClientGet, { orgId, clientId: randomUUID() }), {
      client: null,
    });
  });

  test('a malformed request is answered with a VALIDATION_FAILED error, not silence', async () => {
    const reply = await caller.request<{ error?: { code: string } }>(RpcSubjects.CatalogClientGet, {
      orgId,
      clientId: 'not-a-uuid',
    });
    assert.equal(reply.error?.code, 'VALIDATION_FAILED');
  });
});

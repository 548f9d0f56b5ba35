import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Streams, Subjects, validateEvent, type EventEnvelope } from '@invoice/contracts';
import { clientBody, productBody, startHarness, type Harness } from '../support/harness.ts';

let h: Harness;
let orgId: string;
let token: string;

before(async () => {
  // The relay runs only when the test drives it, so the outbox can be read before publishing.
  h = await startHarness({ relay: 'manual' });
  orgId = randomUUID();
  token = await h.member(orgId, ['products_management']);
});
after(() => h?.close());

interface OutboxRow {
  id: string;
  subject: string;
  payload: EventEnvelope<Record<string, { version?: number; id?: string }>>;
}

/** Outbox rows about one aggregate, in commit order. */
async function outboxFor(aggregateId: string): Promise<OutboxRow[]> {
  return h.deps.orm.em
    .fork()
    .execute<OutboxRow[]>(
      `select id, subject, payload from catalog.outbox where payload->>'subject' = ? order by seq`,
      [aggregateId],
    );
}

/** Every message of the (namespaced) CATALOG stream. */
async function streamMessages(): Promise<{ subject: string; envelope: EventEnvelope }[]> {
  const stream = h.deps.bus.streamName(Streams.CATALOG);
  const info = await h.deps.bus.jsm.streams.info(stream);
  const messages = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const message = await h.deps.bus.jsm.streams.getMessage(stream, { seq });
    if (message)
      messages.push({
        subject: h.deps.bus.unprefix(message.subject),
        envelope: message.json<EventEnvelope>(),
      });
  }
  return messages;
}

describe('catalog events', () => {
  test('create, update and delete of a client write upserted v1, v2 and deleted v3 events that meet the contract', async () => {
    const created = await h.call('POST', '/v1/clients', { token, body: clientBody({ notes: 'pays late' }) });
    const id = String(created.body.id);
    await h.call('PATCH', `/v1/clients/${id}`, { token, body: { name: 'Renamed' } });
    await h.call('DELETE', `/v1/clients/${id}`, { token });

    const rows = await outboxFor(id);
    assert.deepEqual(
      rows.map((row) => row.subject),
      [Subjects.ClientUpserted, Subjects.ClientUpserted, Subjects.ClientDeleted],
    );
    for (const row of rows) assert.deepEqual(validateEvent(row.subject, row.payload), [], row.subject);
    const [first, second, deleted] = rows.map((row) => row.payload);
    assert.equal(first?.data.client?.version, 1);
    assert.equal(second?.data.client?.version, 2);
    assert.equal((second?.data.client as { name?: string }).name, 'Renamed');
    assert.equal('notes' in (first?.data.client ?? {}), false, 'internal notes never leave the catalog');
    assert.deepEqual(deleted?.data, { clientId: id, version: 3 }, 'the delete bumps the version');
    assert.equal(first?.orgid, orgId);
    assert.equal(first?.source, 'catalog');
  });

  test('product events carry the snapshot with canonical decimals and increasing versions, the delete too', async () => {
    const created = await h.call('POST', '/v1/products', {
      token,
      body: productBody({ unitPrice: '5', sku: 'EV-1' }),
    });
    const id = String(created.body.id);
    await h.call('PATCH', `/v1/products/${id}`, { token, body: { unitPrice: '6.25' } });
    await h.call('DELETE', `/v1/products/${id}`, { token });

    const rows = await outboxFor(id);
    assert.deepEqual(
      rows.map((row) => row.subject),
      [Subjects.ProductUpserted, Subjects.ProductUpserted, Subjects.ProductDeleted],
    );
    for (const row of rows) assert.deepEqual(validateEvent(row.subject, row.payload), [], row.subject);
    assert.deepEqual(rows[0]?.payload.data.product, {
      id,
      name: 'Consulting hour',
      sku: 'EV-1',
      unitPrice: '5.00',
      currency: 'EUR',
      unitCode: 'HUR',
      vatRate: '19',
      version: 1,
    });
    assert.equal((rows[1]?.payload.data.product as { unitPrice?: string }).unitPrice, '6.25');
    assert.equal(rows[1]?.payload.data.product?.version, 2);
    assert.deepEqual(rows[2]?.payload.data, { productId: id, version: 3 }, 'the delete bumps the version');
  });

  test('a rejected write leaves no event behind (SKU conflict, stale If-Match, no-op PATCH)', async () => {
    const product = await h.call('POST', '/v1/products', { token, body: productBody({ sku: 'ONE-EVENT' }) });
    const id = String(product.body.id);
    const before = (
      await h.deps.orm.em.fork().execute<{ n: string }[]>('select count(*) as n from catalog.outbox')
    )[0]?.n;
    const conflict = await h.call('POST', '/v1/products', { token, body: productBody({ sku: 'ONE-EVENT' }) });
    const stale = await h.call('PATCH', `/v1/products/${id}`, {
      token,
      body: { name: 'x' },
      headers: { 'if-match': '"9"' },
    });
    const noop = await h.call('PATCH', `/v1/products/${id}`, { token, body: { name: 'Consulting hour' } });
    assert.deepEqual([conflict.status, stale.status, noop.status], [409, 412, 200]);
    const afterCount = (
      await h.deps.orm.em.fork().execute<{ n: string }[]>('select count(*) as n from catalog.outbox')
    )[0]?.n;
    assert.equal(afterCount, before);
  });

  test('the outbox relay publishes every event to the CATALOG stream, valid against its contract', async () => {
    const created = await h.call('POST', '/v1/clients', { token, body: clientBody({ name: 'Relayed' }) });
    const pending = await h.deps.orm.em
      .fork()
      .execute<{ id: string }[]>('select id from catalog.outbox where published_at is null order by seq');
    assert.ok(pending.length >= 1);

    // The harness's relay, driven by hand: publishes batch after batch until the outbox is drained.
    assert.equal(await h.relayOnce(), pending.length);

    const messages = await streamMessages();
    assert.deepEqual(
      messages.map((m) => m.envelope.id),
      pending.map((row) => row.id),
    );
    for (const { subject, envelope } of messages) {
      assert.equal(subject, envelope.type);
      assert.deepEqual(validateEvent(subject, envelope), [], subject);
    }
    const relayed = messages.find((m) => m.envelope.subject === created.body.id);
    assert.equal(relayed?.subject, Subjects.ClientUpserted);
  });
});

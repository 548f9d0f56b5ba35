import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AppError, createEnvelope, newId, RpcSubjects, Streams, Subjects } from '@invoice/contracts';
import {
  deleteNamespaceStreams,
  infrastructure,
  silentLogger,
  testNamespace,
} from '@invoice/platform-testing';
import { Bus } from '../src/index.ts';

describe('Bus', () => {
  let natsUrl: string;
  let bus: Bus;
  const namespace = testNamespace();

  before(async () => {
    natsUrl = (await infrastructure()).natsUrl;
    // Named after the service allowed to ask rpc.catalog.* (contracts' BusIdentities).
    bus = await Bus.connect({ url: natsUrl, namespace, name: 'invoicing', logger: silentLogger() });
  });
  after(async () => {
    await bus.close();
    await deleteNamespaceStreams(natsUrl, namespace);
  });

  it('prefixes subjects, streams and durables with the namespace, and strips it back', () => {
    assert.equal(bus.subject('catalog.client.deleted.v1'), `${namespace}.catalog.client.deleted.v1`);
    assert.equal(bus.unprefix(`${namespace}.catalog.client.deleted.v1`), 'catalog.client.deleted.v1');
    assert.equal(bus.unprefix('catalog.client.deleted.v1'), 'catalog.client.deleted.v1');
    assert.equal(bus.streamName(Streams.CATALOG), `${namespace.toUpperCase()}_CATALOG`);
    assert.equal(bus.durableName('invoicing-client-upserted'), `${namespace}_invoicing-client-upserted`);
    assert.equal(bus.isReady(), true);
    assert.equal(bus.isConnected(), true);
  });

  it('creates streams idempotently, also when two replicas start at once', async () => {
    const other = await Bus.connect({ url: natsUrl, namespace, name: 'bus-test-2', logger: silentLogger() });
    try {
      await Promise.all([bus.ensureStreams(), other.ensureStreams()]);
      await bus.ensureStreams();
    } finally {
      await other.close();
    }
    for (const stream of Object.values(Streams)) {
      const info = await bus.jsm.streams.info(bus.streamName(stream));
      assert.deepEqual(
        info.config.subjects,
        stream.subjects.map((subject) => bus.subject(subject)),
      );
      assert.equal(info.config.duplicate_window, 120_000_000_000, 'two-minute duplicate window');
      const maxAge = stream.maxAgeDays ? stream.maxAgeDays * 24 * 3600 * 1e9 : 0;
      assert.equal(info.config.max_age, maxAge, `${stream.name} retention`);
    }
  });

  it('stores a republished event once (msgID = event id)', async () => {
    const clientId = newId();
    const event = createEnvelope({
      type: Subjects.ClientDeleted,
      source: 'bus-test',
      orgId: newId(),
      subject: clientId,
      data: { clientId },
    });
    const first = await bus.publish(event);
    const second = await bus.publish(event);
    assert.equal(first.duplicate, false);
    assert.equal(second.duplicate, true);
    assert.equal(second.seq, first.seq);
    const stored = await bus.jsm.streams.getMessage(bus.streamName(Streams.CATALOG), { seq: first.seq });
    assert.equal(stored?.header.get('Nats-Msg-Id'), event.id);
    assert.equal(stored?.subject, bus.subject(Subjects.ClientDeleted));
  });

  it('answers requests, refusing malformed ones, mapping coded errors and hiding internal ones', async () => {
    const [ok, missing, boom, driver] = Array.from({ length: 4 }, () => newId());
    const orgId = newId();
    const sub = bus.respond(RpcSubjects.CatalogClientGet, async ({ clientId }) => {
      if (clientId === missing) throw new AppError('NOT_FOUND', { detail: 'client not found' });
      if (clientId === boom) throw new Error('connection string postgres://secret');
      if (clientId === driver)
        throw Object.assign(new Error('insert into x failed: secret'), { code: '23505' });
      return { client: { id: clientId, name: 'Acme', version: 1 } };
    });
    try {
      assert.deepEqual(await bus.request(RpcSubjects.CatalogClientGet, { orgId, clientId: ok }), {
        client: { id: ok, name: 'Acme', version: 1 },
      });
      assert.deepEqual(await bus.request(RpcSubjects.CatalogClientGet, { orgId, clientId: missing }), {
        error: { code: 'NOT_FOUND', message: 'client not found' },
      });
      const stranger = await Bus.connect({
        url: natsUrl,
        namespace,
        name: 'document',
        logger: silentLogger(),
      });
      try {
        const refused = await stranger.request<{ error: { code: string } }>(RpcSubjects.CatalogClientGet, {
          orgId,
          clientId: ok,
        });
        assert.equal(refused.error.code, 'FORBIDDEN', 'a service not listed as a caller is refused');
      } finally {
        await stranger.close();
      }
      const malformed = await bus.request<{ error: { code: string } }>(RpcSubjects.CatalogClientGet, {
        id: 'x',
      });
      assert.equal(malformed.error.code, 'VALIDATION_FAILED');
      for (const clientId of [boom, driver]) {
        assert.deepEqual(await bus.request(RpcSubjects.CatalogClientGet, { orgId, clientId }), {
          error: { code: 'INTERNAL', message: 'internal error' },
        });
      }
    } finally {
      sub.unsubscribe();
    }
  });
});

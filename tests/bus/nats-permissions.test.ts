/**
 * The NATS permissions, tested against a nats-server started from the committed configuration
 * (deploy/nats/nats-server.conf), with every identity connecting as itself.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { AckPolicy } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  BusIdentities,
  createEnvelope,
  newId,
  RpcSubjects,
  Streams,
  Subjects,
  SUBSCRIBER_IDENTITY,
  type BusService,
} from '@invoice/contracts';
import { Bus, renderNatsServerConfig, watchMembershipVersions, wire } from '@invoice/platform-bus';
import { NATS_CONFIG_FILE, silentLogger, startNatsServer, type NatsServer } from '@invoice/platform-testing';
import { consumers as documentConsumers } from '../../services/document/src/events/index.ts';
import { consumers as invoicingConsumers } from '../../services/invoicing/src/events/index.ts';
import { consumers as notificationConsumers } from '../../services/notification/src/events/index.ts';

describe('generated NATS configuration', () => {
  it('the committed deploy/nats/nats-server.conf is the one generated from the identities', () => {
    assert.equal(
      readFileSync(NATS_CONFIG_FILE, 'utf8'),
      renderNatsServerConfig(),
      'stale: run npm run nats:config',
    );
  });

  it("every service's consumers are exactly the durables of its identity", () => {
    const running: Record<BusService, { durable: string; subject: string }[]> = {
      auth: [],
      catalog: [],
      invoicing: invoicingConsumers(anyDeps()),
      document: documentConsumers(anyDeps()),
      notification: notificationConsumers(anyDeps()),
    };
    for (const [service, definitions] of Object.entries(running)) {
      assert.deepEqual(
        definitions.map(({ durable, subject }) => ({ durable, subject })).sort(byName),
        [...BusIdentities[service as BusService].durables].sort(byName),
        `${service}: contracts/src/bus-identities.ts lists other durables than its consumers`,
      );
    }
  });
});

describe('identities on a nats-server started from the project configuration', () => {
  let server: NatsServer;
  const buses: Partial<Record<BusService, Bus>> = {};
  let subscriber: NatsConnection;

  const bus = (service: BusService) => buses[service]!;
  const raw = (user: string) =>
    connect({
      servers: server.url,
      user,
      pass: server.passwords[user],
      inboxPrefix: wire.inboxPrefix('', user),
    });

  before(async () => {
    server = await startNatsServer();
    for (const service of Object.keys(BusIdentities) as BusService[]) {
      buses[service] = await Bus.connect({
        url: server.url,
        name: service,
        password: server.passwords[service],
        logger: silentLogger(),
      });
      await buses[service].ensureStreams([BusIdentities[service].stream]);
    }
    subscriber = await raw(SUBSCRIBER_IDENTITY);
  });
  after(async () => {
    await subscriber?.close();
    for (const each of Object.values(buses)) await each.close();
    await server?.stop();
  });

  it('refuses a connection without credentials or with a wrong password', async () => {
    await assert.rejects(connect({ servers: server.url }), /Authorization/i);
    await assert.rejects(
      connect({ servers: server.url, user: 'invoicing', pass: 'guess' }),
      /Authorization/i,
    );
  });

  it('each service publishes its own events, and cannot publish another service’s subject', async () => {
    const ack = await bus('invoicing').publish(invoiceIssued());
    assert.equal(ack.stream, 'INVOICING');
    const forged = createEnvelope({
      type: Subjects.OrganizationUpdated,
      source: 'auth',
      orgId: newId(),
      subject: newId(),
      data: {},
    });
    await assert.rejects(bus('invoicing').publish(forged), /permission|timeout|no responders/i);
    await assert.rejects(
      bus('document').publish({ ...forged, type: Subjects.ClientUpserted }),
      /permission|timeout|no responders/i,
    );
    const auth = await bus('auth').jsm.streams.info('AUTH');
    assert.equal(auth.state.messages, 0, 'nothing forged reached the AUTH stream');
  });

  it('a service cannot create, change or delete a stream it does not own', async () => {
    await assert.rejects(
      bus('invoicing').jsm.streams.add({ name: 'CATALOG2', subjects: ['catalog2.>'] }),
      /permission|timeout/i,
    );
    await assert.rejects(bus('invoicing').jsm.streams.delete('AUTH'), /permission|timeout/i);
    await assert.rejects(bus('notification').jsm.streams.delete('NOTIFICATION'), /permission|timeout/i);
    await assert.rejects(bus('catalog').jsm.streams.update('AUTH', { max_age: 1 }), /permission|timeout/i);
    assert.ok(await bus('auth').jsm.streams.info('AUTH'), 'AUTH is still there');
  });

  it('a service cannot read another’s RPC: no subscription to the subject, the inbox, or an unlisted ask', async () => {
    const stolen = bus('document').nc.subscribe(RpcSubjects.CatalogClientGet);
    assert.match(String(await stolen.closed), /permission/i);
    const inbox = bus('document').nc.subscribe('_INBOX_invoicing.>');
    assert.match(String(await inbox.closed), /permission/i);
    await assert.rejects(
      bus('document').request(RpcSubjects.AuthOrganizationGet, { organizationId: newId() }),
      /permission|timeout|no responders/i,
    );
  });

  it('a caller listed for an RPC subject gets its answer under the permissions', async () => {
    const sub = bus('catalog').respond(RpcSubjects.CatalogClientGet, async () => ({ client: null }));
    try {
      assert.deepEqual(
        await bus('invoicing').request(RpcSubjects.CatalogClientGet, { orgId: newId(), clientId: newId() }),
        { client: null },
      );
    } finally {
      sub.unsubscribe();
    }
  });

  it('the services’ consumers run on their own durables, and cannot take another’s', async () => {
    await bus('catalog').ensureStreams([Streams.CATALOG]);
    const jsm = bus('invoicing').jsm;
    await jsm.consumers.add('CATALOG', {
      durable_name: 'invoicing-client-upserted',
      filter_subject: Subjects.ClientUpserted,
      ack_policy: AckPolicy.Explicit,
    });
    await assert.rejects(
      jsm.consumers.add('INVOICING', {
        durable_name: 'document-invoice-issued',
        filter_subject: Subjects.InvoiceIssued,
        ack_policy: AckPolicy.Explicit,
      }),
      /permission|timeout/i,
    );
    await assert.rejects(
      bus('notification').jsm.consumers.add('CATALOG', {
        durable_name: 'notification-sneaky',
        filter_subject: 'catalog.>',
        ack_policy: AckPolicy.Explicit,
      }),
      /permission|timeout/i,
    );
  });

  it('the membership watch reads membership changes on AUTH, and nothing else of AUTH', async () => {
    const orgId = newId();
    const userId = newId();
    const watch = watchMembershipVersions(bus('invoicing'));
    try {
      await bus('auth').publish(
        createEnvelope({
          type: Subjects.MembershipChanged,
          source: 'auth',
          orgId,
          subject: userId,
          data: {
            organizationId: orgId,
            userId,
            version: 3,
            role: 'member',
            permissions: [],
            status: 'active',
            reason: 'test',
          },
        }),
      );
      const deadline = Date.now() + 10_000;
      while (watch.minimumVersion(orgId, userId) !== 3 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(watch.minimumVersion(orgId, userId), 3);
    } finally {
      await watch.stop();
    }
    await assert.rejects(
      bus('catalog').jsm.consumers.add('AUTH', {
        name: 'catalog-reads-tokens',
        filter_subject: Subjects.EmailVerificationRequested,
        ack_policy: AckPolicy.Explicit,
      }),
      /permission|timeout/i,
    );
  });

  it('the subscriber identity consumes invoicing events with a durable of its own', async () => {
    const envelope = invoiceIssued();
    await bus('invoicing').publish(envelope);
    const js = (await import('@nats-io/jetstream')).jetstream(subscriber);
    const jsm = await js.jetstreamManager();
    await jsm.consumers.add('INVOICING', {
      durable_name: 'erp-invoices',
      filter_subject: Subjects.InvoiceIssued,
      ack_policy: AckPolicy.Explicit,
    });
    const consumer = await js.consumers.get('INVOICING', 'erp-invoices');
    const ids: string[] = [];
    const batch = await consumer.fetch({ max_messages: 10, expires: 2_000 });
    for await (const msg of batch) {
      ids.push(msg.json<{ id: string }>().id);
      msg.ack();
    }
    assert.ok(ids.includes(envelope.id), 'the issued invoice was delivered');
  });

  it('the subscriber identity cannot publish anything, read AUTH, or take a platform durable', async () => {
    const js = (await import('@nats-io/jetstream')).jetstream(subscriber);
    await assert.rejects(
      js.publish(Subjects.InvoiceIssued, JSON.stringify(invoiceIssued()), { timeout: 2_000 }),
      /permission|timeout|no responders/i,
    );
    const jsm = await js.jetstreamManager();
    await assert.rejects(
      jsm.consumers.add('AUTH', { durable_name: 'erp-auth', ack_policy: AckPolicy.Explicit }),
      /permission|timeout/i,
    );
    await assert.rejects(jsm.streams.info('AUTH'), /permission|timeout/i);
    await assert.rejects(jsm.streams.delete('INVOICING'), /permission|timeout/i);
    await assert.rejects(
      js.consumers.get('INVOICING', 'document-invoice-issued').then((c) => c.info()),
      /permission|timeout/i,
    );
    const tap = subscriber.subscribe('auth.>');
    assert.match(String(await tap.closed), /permission/i);
  });
});

describe('a namespaced configuration (several environments on one server)', () => {
  it('lets a service work under its namespace only', async () => {
    const namespace = 'tns1';
    const server = await startNatsServer({ namespace });
    const invoicing = await Bus.connect({
      url: server.url,
      namespace,
      name: 'invoicing',
      password: server.passwords.invoicing,
      logger: silentLogger(),
    });
    try {
      await invoicing.ensureStreams([Streams.INVOICING]);
      const ack = await invoicing.publish(invoiceIssued());
      assert.equal(ack.stream, 'TNS1_INVOICING');
      await assert.rejects(
        invoicing.jsm.streams.add({ name: 'INVOICING', subjects: ['invoicing.>'] }),
        /permission|timeout/i,
        'not the un-namespaced stream',
      );
    } finally {
      await invoicing.close();
      await server.stop();
    }
  });
});

function invoiceIssued() {
  const orgId = newId();
  const invoiceId = newId();
  return createEnvelope({
    type: Subjects.InvoiceIssued,
    source: 'invoicing',
    orgId,
    subject: invoiceId,
    data: { test: true },
  });
}

function byName(a: { durable: string }, b: { durable: string }): number {
  return a.durable.localeCompare(b.durable);
}

/** Stand-in dependencies: consumer definitions are only built here, never run. */
function anyDeps(): never {
  const proxy: unknown = new Proxy(() => undefined, {
    get: (_target, key) => (key === 'then' ? undefined : proxy),
  });
  return proxy as never;
}

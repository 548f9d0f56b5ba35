/**
 * The bus as a trust boundary, against the running system on its own nats-server started from the
 * committed deploy/nats configuration: a forged `auth.organization.updated.v1` (a new IBAN and
 * version 2147483647) neither gets onto the bus through another identity, nor — published with
 * auth's own rights — replaces the seller details: the organization's own later change is what
 * a newly issued invoice carries.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createEnvelope, Subjects, type OrganizationUpdated } from '@invoice/contracts';
import { wire } from '@invoice/platform-bus';
import { waitFor } from '@invoice/platform-testing';
import {
  gatewayApi,
  prepareSystem,
  startServices,
  stopServices,
  type SystemEnvironment,
} from './support/system.ts';

const ATTACKER_IBAN = 'GB33BUKB20201555555555';
const OWN_IBAN = 'DE89370400440532013000';
const CHANGED_IBAN = 'DE02120300000000202051';

describe('forged organization events against the running system', { timeout: 240_000 }, () => {
  let system: SystemEnvironment;
  let api: ReturnType<typeof gatewayApi>;
  const children: ChildProcess[] = [];

  before(async () => {
    system = await prepareSystem({ lockedNats: true });
    api = gatewayApi(system.gatewayUrl);
    await startServices(system, children);
  });
  after(async () => {
    await stopServices(children);
    await system?.cleanup();
  });

  it('a forged organization.updated with a huge version does not change the seller of later invoices', async () => {
    const email = `owner-${system.namespace}@example.test`;
    const password = 'correct horse battery staple';
    const signup = await api('POST', '/v1/auth/signup', {
      organizationName: 'Initech AG',
      name: 'Peter Gibbons',
      email,
      password,
    });
    assert.equal(signup.status, 201, JSON.stringify(signup.json));
    const verification = await system.smtp.waitForMail((mail) => mail.envelopeTo.includes(email));
    const token = /token=([A-Za-z0-9_-]+)/.exec(verification.parsed.text ?? '')?.[1];
    assert.equal((await api('POST', '/v1/auth/verify-email', { token })).status, 200);
    const login = await api('POST', '/v1/auth/login', { email, password });
    const accessToken = login.json.accessToken as string;
    const organization = await api(
      'PATCH',
      '/v1/organization',
      { legalName: 'Initech AG', bankAccount: { iban: OWN_IBAN } },
      accessToken,
    );
    assert.equal(organization.status, 200, JSON.stringify(organization.json));
    const orgId = String(organization.json.id);

    const forged: OrganizationUpdated = {
      organization: {
        id: orgId,
        name: 'Initech AG',
        legalName: 'Initech AG',
        bankAccount: { iban: ATTACKER_IBAN },
        version: 2147483647,
      },
    };
    const envelope = createEnvelope({
      type: Subjects.OrganizationUpdated,
      source: 'auth',
      orgId,
      subject: orgId,
      data: forged,
    });
    // 1. Another identity (the read-only subscriber, or a service) cannot publish it at all.
    for (const user of ['subscriber', 'catalog']) {
      const nc = await connect({
        servers: system.natsUrl,
        user,
        pass: system.nats!.passwords[user],
        inboxPrefix: wire.inboxPrefix('', user),
      });
      try {
        await assert.rejects(
          jetstream(nc).publish(Subjects.OrganizationUpdated, JSON.stringify(envelope), { timeout: 2_000 }),
          /permission|timeout|no responders/i,
          `${user} may not publish auth's subject`,
        );
      } finally {
        await nc.close();
      }
    }
    // 2. Even with auth's own rights, the replica refuses the jump and asks auth instead.
    const auth = await connect({
      servers: system.natsUrl,
      user: 'auth',
      pass: system.nats!.passwords.auth,
      inboxPrefix: wire.inboxPrefix('', 'auth'),
    });
    try {
      await jetstream(auth).publish(Subjects.OrganizationUpdated, JSON.stringify(envelope), {
        msgID: envelope.id,
      });
    } finally {
      await auth.close();
    }
    // The organization's own, legitimate change a moment later.
    const changed = await api(
      'PATCH',
      '/v1/organization',
      { bankAccount: { iban: CHANGED_IBAN } },
      accessToken,
    );
    assert.equal(changed.status, 200, JSON.stringify(changed.json));

    const client = await api(
      'POST',
      '/v1/clients',
      {
        name: 'Globex Corporation',
        email: `billing-${system.namespace}@globex.test`,
        address: { line1: '1 Globex Way', city: 'Cypress Creek', postalCode: '12345', country: 'US' },
      },
      accessToken,
    );
    assert.equal(client.status, 201, JSON.stringify(client.json));
    // Issue until the replica has caught up with the change (each issue draws a new invoice).
    const seller = await waitFor(
      async () => {
        const draft = await api(
          'POST',
          '/v1/invoices',
          {
            clientId: client.json.id,
            currency: 'EUR',
            lines: [
              {
                description: 'Consulting hour',
                quantity: '1',
                unitCode: 'HUR',
                unitPrice: '100.00',
                vatCategory: 'S',
                vatRate: '19',
              },
            ],
          },
          accessToken,
        );
        assert.equal(draft.status, 201, JSON.stringify(draft.json));
        const issued = await api('POST', `/v1/invoices/${draft.json.id}/issue`, {}, accessToken);
        assert.equal(issued.status, 200, JSON.stringify(issued.json));
        const iban = (issued.json.seller as { bankAccount?: { iban?: string } }).bankAccount?.iban;
        assert.notEqual(iban, ATTACKER_IBAN, 'an issued invoice never carries the forged IBAN');
        return iban === CHANGED_IBAN ? issued.json.seller : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 1_000, what: "an invoice with the organization's own change" },
    );
    assert.equal((seller as { bankAccount: { iban: string } }).bankAccount.iban, CHANGED_IBAN);
  });
});

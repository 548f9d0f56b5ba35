import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newId, RpcSubjects, type Organization } from '@invoice/contracts';
import { Bus } from '@invoice/platform-bus';
import { silentLogger } from '@invoice/platform-testing';
import { bearer, verifiedAccount } from '../support/accounts.ts';
import { startHarness, type Harness } from '../support/harness.ts';

describe('rpc.auth.organization.get', () => {
  let harness: Harness;
  let caller: Bus;
  before(async () => {
    harness = await startHarness(); // runs the service's responders, as the API role does
    // The one service allowed to ask (contracts' BusIdentities), in the same namespace.
    caller = await Bus.connect({
      url: harness.config.NATS_URL,
      namespace: harness.namespace,
      name: 'invoicing',
      logger: silentLogger(),
    });
  });
  after(async () => {
    await caller?.close();
    await harness?.close();
  });

  it('refuses a caller that may not ask (auth itself here)', async () => {
    const reply = await harness.deps.bus.request<{ error?: { code: string } }>(
      RpcSubjects.AuthOrganizationGet,
      {
        organizationId: newId(),
      },
    );
    assert.equal(reply.error?.code, 'FORBIDDEN');
  });

  const ask = (payload: unknown) =>
    caller.request<{ organization?: Organization | null; error?: { code: string } }>(
      RpcSubjects.AuthOrganizationGet,
      payload,
    );

  it('answers with the current snapshot of an organization', async () => {
    const account = await verifiedAccount(harness);
    await harness.app.inject({
      method: 'PATCH',
      url: '/v1/organization',
      headers: bearer(account.tokens),
      payload: { taxId: 'DE123456789', defaultCurrency: 'EUR' },
    });
    const reply = await ask({ organizationId: account.created.organizationId });
    assert.deepEqual(reply, {
      organization: {
        id: account.created.organizationId,
        name: account.body.organizationName,
        taxId: 'DE123456789',
        defaultCurrency: 'EUR',
        version: 2,
      },
    });
  });

  it('answers null for an unknown organization', async () => {
    assert.deepEqual(await ask({ organizationId: newId() }), { organization: null });
  });

  it('answers a malformed request with an error instead of crashing', async () => {
    const reply = await ask({ organizationId: 'not-a-uuid' });
    assert.equal(reply.error?.code, 'VALIDATION_FAILED');
  });
});

/**
 * Teams end to end, through the gateway with every service in its own process and the emails at a
 * real SMTP server: the owner invites → invitation email → accept → pending (cannot log in) →
 * approval request email to the owner → owner approves → activation email → the member logs in and
 * can do exactly what their permissions allow; a demotion applies to their next request in another
 * service; a read-only API key reads through the gateway and stops when revoked.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import type { SmtpSink } from '@invoice/platform-testing';
import {
  gatewayApi,
  prepareSystem,
  startServices,
  stopServices,
  type SystemEnvironment,
} from './support/system.ts';

const tokenIn = (text: string | undefined) => /token=([A-Za-z0-9_%-]+)/.exec(text ?? '')?.[1];

describe('teams, end to end through the gateway', { timeout: 240_000 }, () => {
  let system: SystemEnvironment;
  let smtp: SmtpSink;
  let api: ReturnType<typeof gatewayApi>;
  const children: ChildProcess[] = [];

  before(async () => {
    system = await prepareSystem({ lockedNats: true });
    ({ smtp } = system);
    api = gatewayApi(system.gatewayUrl);
    await startServices(system, children);
  });

  after(async () => {
    await stopServices(children);
    await system?.cleanup();
  });

  /** Retries `probe` until `done` holds (the change travels through the event stream). */
  async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    let value = await probe();
    for (let attempt = 0; attempt < 50 && !done(value); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      value = await probe();
    }
    return value;
  }

  it('invite → accept → pending → approve → restricted member; demotion and API keys apply at once', async () => {
    const ownerEmail = `owner-${system.namespace}@example.test`;
    const memberEmail = `member-${system.namespace}@example.test`;
    const ownerPassword = 'correct horse battery staple';
    const memberPassword = 'member horse 42';

    assert.equal(
      (
        await api('POST', '/v1/auth/signup', {
          organizationName: 'Initrode GmbH',
          name: 'Olivia Owner',
          email: ownerEmail,
          password: ownerPassword,
        })
      ).status,
      201,
    );
    const verification = await smtp.waitForMail((mail) => mail.envelopeTo.includes(ownerEmail));
    assert.equal(
      (await api('POST', '/v1/auth/verify-email', { token: tokenIn(verification.parsed.text) })).status,
      200,
    );
    const owner = (await api('POST', '/v1/auth/login', { email: ownerEmail, password: ownerPassword })).json
      .accessToken as string;

    const invitation = await api(
      'POST',
      '/v1/invitations',
      { email: memberEmail, role: 'member', permissions: ['products_management'] },
      owner,
    );
    assert.equal(invitation.status, 201, JSON.stringify(invitation.json));
    const invitationMail = await smtp.waitForMail((mail) => mail.envelopeTo.includes(memberEmail));
    assert.match(String(invitationMail.parsed.subject), /invited you to Initrode GmbH/);
    const invitationToken = decodeURIComponent(tokenIn(invitationMail.parsed.text) ?? '');
    assert.ok(invitationToken);

    const accepted = await api('POST', '/v1/auth/accept-invitation', {
      token: invitationToken,
      name: 'Milo Member',
      password: memberPassword,
    });
    assert.equal(accepted.status, 200, JSON.stringify(accepted.json));
    assert.equal(accepted.json.status, 'pending');
    const memberId = accepted.json.userId as string;

    const pending = await api('POST', '/v1/auth/login', { email: memberEmail, password: memberPassword });
    assert.equal(pending.status, 403);
    assert.equal(pending.json.code, 'MEMBERSHIP_PENDING');

    const approvalMail = await smtp.waitForMail(
      (mail) => mail.envelopeTo.includes(ownerEmail) && /wants to join/.test(String(mail.parsed.subject)),
    );
    assert.ok(approvalMail.parsed.text?.includes(memberEmail));

    const approved = await api('PATCH', `/v1/members/${memberId}`, { approve: true }, owner);
    assert.equal(approved.status, 200, JSON.stringify(approved.json));
    const activation = await smtp.waitForMail(
      (mail) =>
        mail.envelopeTo.includes(memberEmail) && /You can now work in/.test(String(mail.parsed.subject)),
    );
    assert.ok(activation);

    const memberLogin = await api('POST', '/v1/auth/login', { email: memberEmail, password: memberPassword });
    assert.equal(memberLogin.status, 200, JSON.stringify(memberLogin.json));
    const member = memberLogin.json.accessToken as string;

    const product = await api(
      'POST',
      '/v1/products',
      { name: 'Support hour', unitPrice: '80.00', currency: 'EUR', unitCode: 'HUR', vatRate: '19' },
      member,
    );
    assert.equal(product.status, 201, JSON.stringify(product.json));
    assert.equal((await api('GET', '/v1/products', undefined, member)).status, 200);
    assert.equal((await api('PATCH', '/v1/organization', { name: 'Mine now' }, member)).status, 403);
    assert.equal((await api('GET', '/v1/members', undefined, member)).status, 403);
    assert.equal((await api('POST', '/v1/invitations', { email: 'x@example.test' }, member)).status, 403);

    // The owner takes products_management away: the member's very next write is refused.
    const demoted = await api('PATCH', `/v1/members/${memberId}`, { permissions: [] }, owner);
    assert.equal(demoted.status, 200);
    const refused = await eventually(
      () => api('POST', '/v1/products', { name: 'Sneaky', unitPrice: '1.00', currency: 'EUR' }, member),
      (response) => response.status === 401,
    );
    assert.equal(refused.status, 401);
    const relogin = await api('POST', '/v1/auth/login', { email: memberEmail, password: memberPassword });
    const restricted = relogin.json.accessToken as string;
    const forbidden = await api(
      'POST',
      '/v1/products',
      { name: 'Sneaky', unitPrice: '1.00', currency: 'EUR' },
      restricted,
    );
    assert.equal(forbidden.status, 403);

    // A read-only API key works wherever a bearer token does, reads only, and stops when revoked.
    const key = await api('POST', '/v1/api-keys', { name: 'Reporting', readOnly: true }, owner);
    assert.equal(key.status, 201, JSON.stringify(key.json));
    const apiKey = key.json.key as string;
    assert.equal((await api('GET', '/v1/products', undefined, apiKey)).status, 200);
    assert.equal(
      (await api('POST', '/v1/products', { name: 'x', unitPrice: '1', currency: 'EUR' }, apiKey)).status,
      403,
    );
    assert.equal((await api('DELETE', `/v1/api-keys/${key.json.id}`, undefined, owner)).status, 204);
    const revoked = await eventually(
      () => api('GET', '/v1/products', undefined, apiKey),
      (response) => response.status === 401,
    );
    assert.equal(revoked.status, 401);
  });
});

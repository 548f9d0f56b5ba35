import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Subjects,
  validateEvent,
  type MemberActivated,
  type MemberApprovalRequested,
  type MembershipChanged,
  type TokenPair,
} from '@invoice/contracts';
import {
  addMember,
  callAs,
  invitationToken,
  logInWith,
  refreshTokens,
  verifiedAccount,
} from '../support/accounts.ts';
import { startHarness, type Harness } from '../support/harness.ts';

describe('invitations, approval and members', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(async () => {
    await harness?.close();
  });

  const accept = (payload: object) =>
    harness.app.inject({ method: 'POST', url: '/v1/auth/accept-invitation', payload });
  const memberLogin = async (member: { email: string; password: string }, organizationId?: string) => {
    const response = await logInWith(harness, member.email, member.password, organizationId);
    assert.equal(response.statusCode, 200, response.body);
    return response.json<TokenPair>();
  };

  it('lets an admin invite: the invitation is listed without its token and its email event carries one', async () => {
    const owner = await verifiedAccount(harness);
    const response = await callAs(harness, owner.tokens, 'POST', '/v1/invitations', {
      email: 'New.Person@Example.com',
      role: 'member',
      permissions: ['products_management'],
    });
    assert.equal(response.statusCode, 201, response.body);
    const invitation = response.json<{ id: string; email: string; status: string }>();
    assert.equal(invitation.email, 'new.person@example.com');
    assert.equal(invitation.status, 'pending');
    assert.equal(response.headers.location, `/v1/invitations/${invitation.id}`);
    const list = await callAs(harness, owner.tokens, 'GET', '/v1/invitations');
    assert.equal(list.statusCode, 200);
    assert.deepEqual(
      list.json<{ items: { id: string }[] }>().items.map((item) => item.id),
      [invitation.id],
    );
    assert.ok(!list.body.includes('token'));
    const token = await invitationToken(harness, invitation.id);
    assert.ok(token.length >= 40);
    const stored = await harness.deps.orm.em
      .fork()
      .execute<{ token_hash: string }[]>('select token_hash from "auth"."invitations" where id = ?', [
        invitation.id,
      ]);
    assert.notEqual(stored[0]!.token_hash, token, 'only the hash is stored');
  });

  it('refuses invitations from a member without admin (403) and from nobody (401)', async () => {
    const owner = await verifiedAccount(harness);
    const member = await addMember(harness, owner, { permissions: ['products_management'] });
    const tokens = await memberLogin(member);
    const refused = await callAs(harness, tokens, 'POST', '/v1/invitations', { email: 'x@example.com' });
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().code, 'FORBIDDEN');
    assert.equal((await callAs(harness, tokens, 'GET', '/v1/members')).statusCode, 403);
    assert.equal((await callAs(harness, undefined, 'GET', '/v1/invitations')).statusCode, 401);
  });

  it('runs the approval flow: accept → pending (cannot log in, admins emailed) → approve → activation → login', async () => {
    const owner = await verifiedAccount(harness);
    const member = await addMember(harness, owner, { permissions: ['all_invoices_access'], approve: false });
    const pending = await logInWith(harness, member.email, member.password);
    assert.equal(pending.statusCode, 403);
    assert.equal(pending.json().code, 'MEMBERSHIP_PENDING');

    const requests = await harness.events<MemberApprovalRequested>(Subjects.MemberApprovalRequested);
    const request = requests.find((event) => event.data.member.userId === member.userId);
    assert.ok(request);
    assert.deepEqual(request.data.approvers, [{ name: owner.body.name, email: owner.created.email }]);
    assert.deepEqual(validateEvent(request.type, request), []);

    const listed = await callAs(harness, owner.tokens, 'GET', '/v1/members');
    const row = listed
      .json<{ items: { id: string; status: string }[] }>()
      .items.find((m) => m.id === member.userId);
    assert.equal(row?.status, 'pending');

    const approved = await callAs(harness, owner.tokens, 'PATCH', `/v1/members/${member.userId}`, {
      approve: true,
    });
    assert.equal(approved.statusCode, 200, approved.body);
    assert.equal(approved.json().status, 'active');
    const activated = await harness.events<MemberActivated>(Subjects.MemberActivated);
    assert.ok(
      activated.some((event) => event.data.userId === member.userId && event.data.email === member.email),
    );
    const tokens = await memberLogin(member);
    const me = await callAs(harness, tokens, 'GET', '/v1/auth/me');
    assert.equal(me.json().role, 'member');
    assert.deepEqual(me.json().permissions, ['all_invoices_access']);
  });

  it('makes members active at once when the organization does not require approval', async () => {
    const owner = await verifiedAccount(harness);
    const setting = await callAs(harness, owner.tokens, 'PATCH', '/v1/organization/settings', {
      requireMemberApproval: false,
    });
    assert.equal(setting.statusCode, 200, setting.body);
    const changed = await harness.events(Subjects.OrganizationSettingsChanged);
    assert.ok(changed.some((event) => event.subject === owner.created.organizationId));
    const member = await addMember(harness, owner, { approve: false });
    await memberLogin(member);
  });

  it('accepts an invitation once; a revoked, resent (old link) or expired invitation is TOKEN_INVALID', async () => {
    const owner = await verifiedAccount(harness);
    const invite = async (email: string) => {
      const response = await callAs(harness, owner.tokens, 'POST', '/v1/invitations', { email });
      assert.equal(response.statusCode, 201, response.body);
      const id = response.json<{ id: string }>().id;
      return { id, token: await invitationToken(harness, id) };
    };
    const body = (token: string) => ({ token, name: 'Nina', password: 'member pass 42' });

    const once = await invite('once@example.com');
    assert.equal((await accept(body(once.token))).statusCode, 200);
    const again = await accept(body(once.token));
    assert.equal(again.statusCode, 400);
    assert.equal(again.json().code, 'TOKEN_INVALID');

    const revoked = await invite('revoked@example.com');
    assert.equal(
      (await callAs(harness, owner.tokens, 'DELETE', `/v1/invitations/${revoked.id}`)).statusCode,
      204,
    );
    assert.equal((await accept(body(revoked.token))).json().code, 'TOKEN_INVALID');

    const resent = await invite('resent@example.com');
    const resend = await callAs(harness, owner.tokens, 'POST', `/v1/invitations/${resent.id}/resend`);
    assert.equal(resend.statusCode, 200, resend.body);
    const newToken = await invitationToken(harness, resent.id);
    assert.notEqual(newToken, resent.token);
    assert.equal((await accept(body(resent.token))).json().code, 'TOKEN_INVALID');
    assert.equal((await accept(body(newToken))).statusCode, 200);

    const expired = await invite('expired@example.com');
    await harness.deps.orm.em
      .fork()
      .execute(`update "auth"."invitations" set expires_at = now() - interval '1 second' where id = ?`, [
        expired.id,
      ]);
    assert.equal((await accept(body(expired.token))).json().code, 'TOKEN_INVALID');
    const list = await callAs(harness, owner.tokens, 'GET', '/v1/invitations');
    const statuses = Object.fromEntries(
      list.json<{ items: { id: string; status: string }[] }>().items.map((item) => [item.id, item.status]),
    );
    assert.deepEqual(
      [statuses[once.id], statuses[revoked.id], statuses[resent.id], statuses[expired.id]],
      ['accepted', 'revoked', 'accepted', 'expired'],
    );
  });

  it('refuses a new account with a weak password or no name, naming the field', async () => {
    const owner = await verifiedAccount(harness);
    const response = await callAs(harness, owner.tokens, 'POST', '/v1/invitations', {
      email: 'weak@example.com',
    });
    const token = await invitationToken(harness, response.json<{ id: string }>().id);
    const weak = await accept({ token, name: 'W', password: 'short' });
    assert.equal(weak.statusCode, 400);
    assert.equal(weak.json().errors[0].field, '/password');
    const nameless = await accept({ token, password: 'member pass 42' });
    assert.equal(nameless.json().errors[0].field, '/name');
  });

  it('adds an existing user to a second organization (with their password); login picks one, switch gives the other', async () => {
    const first = await verifiedAccount(harness);
    const second = await verifiedAccount(harness);
    const invited = await callAs(harness, second.tokens, 'POST', '/v1/invitations', {
      email: first.created.email,
      role: 'admin',
    });
    const token = await invitationToken(harness, invited.json<{ id: string }>().id);
    const wrong = await accept({ token, password: 'not my password 1' });
    assert.equal(wrong.statusCode, 401);
    const joined = await accept({ token, password: first.body.password });
    assert.equal(joined.statusCode, 200, joined.body);
    assert.equal(joined.json().userId, first.created.userId);
    const approve = await callAs(harness, second.tokens, 'PATCH', `/v1/members/${first.created.userId}`, {
      approve: true,
    });
    assert.equal(approve.statusCode, 200);

    const defaultLogin = await memberLogin({ email: first.created.email, password: first.body.password });
    assert.equal(
      (await callAs(harness, defaultLogin, 'GET', '/v1/auth/me')).json().organization.id,
      first.created.organizationId,
    );
    const chosen = await memberLogin(
      { email: first.created.email, password: first.body.password },
      second.created.organizationId,
    );
    const me = (await callAs(harness, chosen, 'GET', '/v1/auth/me')).json();
    assert.equal(me.organization.id, second.created.organizationId);
    assert.equal(me.role, 'admin');

    const mine = await callAs(harness, defaultLogin, 'GET', '/v1/auth/organizations');
    assert.deepEqual(
      mine
        .json()
        .items.map((item: { id: string; role: string; current: boolean }) => [
          item.id,
          item.role,
          item.current,
        ]),
      [
        [first.created.organizationId, 'owner', true],
        [second.created.organizationId, 'admin', false],
      ],
    );
    const switched = await callAs(harness, defaultLogin, 'POST', '/v1/auth/switch-organization', {
      organizationId: second.created.organizationId,
    });
    assert.equal(switched.statusCode, 200, switched.body);
    const switchedMe = (await callAs(harness, switched.json<TokenPair>(), 'GET', '/v1/auth/me')).json();
    assert.equal(switchedMe.organization.id, second.created.organizationId);

    const stranger = await verifiedAccount(harness);
    const notMine = await callAs(harness, defaultLogin, 'POST', '/v1/auth/switch-organization', {
      organizationId: stranger.created.organizationId,
    });
    assert.equal(notMine.statusCode, 404);
  });

  it('applies a demotion to the very next request, and the next refresh carries the new role', async () => {
    const owner = await verifiedAccount(harness);
    const member = await addMember(harness, owner, { role: 'admin' });
    const tokens = await memberLogin(member);
    assert.equal((await callAs(harness, tokens, 'GET', '/v1/members')).statusCode, 200);
    const demoted = await callAs(harness, owner.tokens, 'PATCH', `/v1/members/${member.userId}`, {
      role: 'member',
      permissions: ['products_management'],
    });
    assert.equal(demoted.statusCode, 200, demoted.body);
    const stale = await callAs(harness, tokens, 'GET', '/v1/members');
    assert.equal(stale.statusCode, 401);
    const refreshed = await refreshTokens(harness, tokens.refreshToken);
    assert.equal(refreshed.statusCode, 200);
    const fresh = refreshed.json<TokenPair>();
    assert.equal((await callAs(harness, fresh, 'GET', '/v1/members')).statusCode, 403);
    const changes = await harness.events<MembershipChanged>(Subjects.MembershipChanged);
    const last = changes.filter((event) => event.data.userId === member.userId).at(-1);
    assert.equal(last?.data.role, 'member');
    assert.deepEqual(last?.data.permissions, ['products_management']);
    assert.ok(last!.data.version >= 3);
  });

  it('keeps the last owner: no demotion, no removal, no leaving; a second owner makes both possible', async () => {
    const owner = await verifiedAccount(harness);
    const self = owner.created.userId;
    const demote = await callAs(harness, owner.tokens, 'PATCH', `/v1/members/${self}`, { role: 'admin' });
    assert.equal(demote.statusCode, 409);
    assert.equal(demote.json().code, 'LAST_OWNER');
    const leave = await callAs(harness, owner.tokens, 'DELETE', `/v1/members/${self}`);
    assert.equal(leave.statusCode, 409);
    assert.equal(leave.json().code, 'LAST_OWNER');

    const other = await addMember(harness, owner);
    const promoted = await callAs(harness, owner.tokens, 'PATCH', `/v1/members/${other.userId}`, {
      role: 'owner',
    });
    assert.equal(promoted.statusCode, 200, promoted.body);
    const left = await callAs(harness, owner.tokens, 'DELETE', `/v1/members/${self}`);
    assert.equal(left.statusCode, 204);
    // The owner's own session ended with the membership.
    assert.equal((await callAs(harness, owner.tokens, 'GET', '/v1/auth/me')).statusCode, 401);
    assert.equal((await refreshTokens(harness, owner.tokens.refreshToken)).statusCode, 400);
  });

  it('lets only an owner give, change or remove the owner role (an admin gets 403)', async () => {
    const owner = await verifiedAccount(harness);
    const admin = await addMember(harness, owner, { role: 'admin' });
    const other = await addMember(harness, owner);
    const adminTokens = await memberLogin(admin);
    const self = owner.created.userId;
    for (const [method, url, body] of [
      ['PATCH', `/v1/members/${self}`, { role: 'member' }],
      ['DELETE', `/v1/members/${self}`, undefined],
      ['PATCH', `/v1/members/${other.userId}`, { role: 'owner' }],
    ] as const) {
      const response = await callAs(harness, adminTokens, method, url, body);
      assert.equal(response.statusCode, 403, `${method} ${url}`);
    }
    const granted = await callAs(harness, adminTokens, 'PATCH', `/v1/members/${other.userId}`, {
      permissions: ['all_invoices_access'],
    });
    assert.equal(granted.statusCode, 200);
  });

  it('deactivates a member: their tokens stop at once, they cannot log in, their row stays listed', async () => {
    const owner = await verifiedAccount(harness);
    const member = await addMember(harness, owner);
    const tokens = await memberLogin(member);
    const removed = await callAs(harness, owner.tokens, 'DELETE', `/v1/members/${member.userId}`);
    assert.equal(removed.statusCode, 204);
    assert.equal((await callAs(harness, tokens, 'GET', '/v1/auth/me')).statusCode, 401);
    assert.equal((await refreshTokens(harness, tokens.refreshToken)).statusCode, 400);
    assert.equal((await logInWith(harness, member.email, member.password)).statusCode, 403);
    const listed = await callAs(harness, owner.tokens, 'GET', '/v1/members');
    const row = listed
      .json<{ items: { id: string; status: string }[] }>()
      .items.find((m) => m.id === member.userId);
    assert.equal(row?.status, 'deactivated');
  });

  it("answers another organization's member and invitation ids with 404", async () => {
    const mine = await verifiedAccount(harness);
    const theirs = await verifiedAccount(harness);
    const member = await addMember(harness, theirs);
    const paths: ['GET' | 'PATCH' | 'DELETE' | 'POST', string, object?][] = [
      ['GET', `/v1/members/${member.userId}`],
      ['PATCH', `/v1/members/${member.userId}`, { role: 'admin' }],
      ['DELETE', `/v1/members/${member.userId}`],
      ['DELETE', `/v1/invitations/${member.invitationId}`],
      ['POST', `/v1/invitations/${member.invitationId}/resend`],
    ];
    for (const [method, url, body] of paths) {
      const response = await callAs(harness, mine.tokens, method, url, body);
      assert.equal(response.statusCode, 404, `${method} ${url}: ${response.body}`);
    }
    const still = await callAs(harness, theirs.tokens, 'GET', `/v1/members/${member.userId}`);
    assert.equal(still.json().status, 'active');
  });

  it('refuses inviting someone who is already a member with 409 ALREADY_MEMBER naming /email', async () => {
    const owner = await verifiedAccount(harness);
    const response = await callAs(harness, owner.tokens, 'POST', '/v1/invitations', {
      email: owner.created.email,
    });
    assert.equal(response.statusCode, 409);
    assert.equal(response.json().code, 'ALREADY_MEMBER');
    assert.equal(response.json().errors[0].field, '/email');
  });

  it('wrote only events that match their contracts', async () => {
    const events = await harness.allEvents();
    assert.ok(events.length > 20);
    for (const event of events) assert.deepEqual(validateEvent(event.type, event), [], event.type);
  });
});

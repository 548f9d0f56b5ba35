/** Account factories driven through the public API, as a client would. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  Subjects,
  type EmailVerificationRequested,
  type InvitationCreated,
  type SignupResponse,
  type TokenPair,
} from '@invoice/contracts';
import { signupBody, type Harness } from './harness.ts';

/** A signed-up account and the body it was created with. */
export interface Account {
  body: ReturnType<typeof signupBody>;
  created: SignupResponse;
}

/** Signs up through POST /v1/auth/signup. */
export async function signUp(
  harness: Harness,
  overrides: Parameters<typeof signupBody>[0] = {},
): Promise<Account> {
  const body = signupBody(overrides);
  const response = await harness.app.inject({ method: 'POST', url: '/v1/auth/signup', payload: body });
  assert.equal(response.statusCode, 201, response.body);
  return { body, created: response.json<SignupResponse>() };
}

/** The raw token of the verification email requested for a user (read from the AUTH stream). */
export async function verificationToken(harness: Harness, userId: string): Promise<string> {
  const events = await harness.events<EmailVerificationRequested>(Subjects.EmailVerificationRequested);
  const event = events.find((candidate) => candidate.data.userId === userId);
  assert.ok(event, `no verification email requested for ${userId}`);
  return event.data.token;
}

/** Logs in through POST /v1/auth/login and expects success. */
export async function logIn(harness: Harness, account: Account): Promise<TokenPair> {
  const response = await harness.app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { email: account.body.email, password: account.body.password },
  });
  assert.equal(response.statusCode, 200, response.body);
  return response.json<TokenPair>();
}

/** Signs up, verifies the email with the emailed token and logs in. */
export async function verifiedAccount(
  harness: Harness,
  overrides: Parameters<typeof signupBody>[0] = {},
): Promise<Account & { tokens: TokenPair }> {
  const account = await signUp(harness, overrides);
  const token = await verificationToken(harness, account.created.userId);
  const verified = await harness.app.inject({
    method: 'POST',
    url: '/v1/auth/verify-email',
    payload: { token },
  });
  assert.equal(verified.statusCode, 200, verified.body);
  return { ...account, tokens: await logIn(harness, account) };
}

/** POST /v1/auth/refresh with a refresh token (the response, whatever its status). */
export function refreshTokens(harness: Harness, refreshToken: string) {
  return harness.app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken } });
}

/**
 * Makes the account's user a plain member with only `all_invoices_access`, in the database: its
 * current access token still says owner, the next refresh carries the new role.
 */
export async function demoteToMember(harness: Harness, account: Account): Promise<void> {
  await harness.deps.orm.em
    .fork()
    .execute(
      `update "auth"."memberships" set role = 'member', permissions = '{all_invoices_access}' where user_id = ?`,
      [account.created.userId],
    );
}

/** `Authorization` header for an access token. */
export const bearer = (tokens: TokenPair) => ({ authorization: `Bearer ${tokens.accessToken}` });

/** An injected request with a bearer token (the response, whatever its status). */
export function callAs(
  harness: Harness,
  tokens: TokenPair | undefined,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: object,
) {
  return harness.app.inject({
    method,
    url,
    ...(tokens ? { headers: bearer(tokens) } : {}),
    ...(payload !== undefined ? { payload } : {}),
  });
}

/** The raw token of the newest invitation email requested for an invitation (from the AUTH stream). */
export async function invitationToken(harness: Harness, invitationId: string): Promise<string> {
  const events = await harness.events<InvitationCreated>(Subjects.InvitationCreated);
  const event = events.filter((candidate) => candidate.data.invitationId === invitationId).at(-1);
  assert.ok(event, `no invitation email requested for ${invitationId}`);
  return event.data.token;
}

/**
 * Invites `email` into the admin's organization with `role`/`permissions`, accepts as a new user
 * (password `member pass 42`), and approves unless `approve` is false. Returns the member's id,
 * email and password.
 */
export async function addMember(
  harness: Harness,
  admin: Account & { tokens: TokenPair },
  options: { role?: 'admin' | 'member'; permissions?: string[]; approve?: boolean; email?: string } = {},
): Promise<{ userId: string; email: string; password: string; invitationId: string }> {
  const email = options.email ?? `member.${randomBytes(4).toString('hex')}@example.com`;
  const invited = await callAs(harness, admin.tokens, 'POST', '/v1/invitations', {
    email,
    role: options.role ?? 'member',
    permissions: options.permissions ?? [],
  });
  assert.equal(invited.statusCode, 201, invited.body);
  const invitationId = invited.json<{ id: string }>().id;
  const password = 'member pass 42';
  const accepted = await harness.app.inject({
    method: 'POST',
    url: '/v1/auth/accept-invitation',
    payload: { token: await invitationToken(harness, invitationId), name: 'Mary Member', password },
  });
  assert.equal(accepted.statusCode, 200, accepted.body);
  const { userId } = accepted.json<{ userId: string }>();
  if (options.approve !== false) {
    const approved = await callAs(harness, admin.tokens, 'PATCH', `/v1/members/${userId}`, { approve: true });
    assert.equal(approved.statusCode, 200, approved.body);
  }
  return { userId, email, password, invitationId };
}

/** Logs in with email and password (and an organization), returning the raw response. */
export function logInWith(harness: Harness, email: string, password: string, organizationId?: string) {
  return harness.app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { email, password, ...(organizationId ? { organizationId } : {}) },
  });
}

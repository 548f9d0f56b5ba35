/**
 * Sign-up, email verification, login, refresh, logout, invitations, organization switching,
 * passwords and the caller's profile.
 */
import {
  AcceptedResponseSchema,
  ApiKeyTokenRequestSchema,
  ApiKeyTokenResponseSchema,
  AcceptInvitationRequestSchema,
  AcceptInvitationResponseSchema,
  EmailOnlyRequestSchema,
  PasswordChangeSchema,
  PasswordResetConfirmSchema,
  SwitchOrganizationRequestSchema,
  LoginRequestSchema,
  MeResponseSchema,
  MyOrganizationsSchema,
  RefreshTokenRequestSchema,
  SignupRequestSchema,
  SignupResponseSchema,
  TokenPairSchema,
  VerifyEmailRequestSchema,
  VerifyEmailResponseSchema,
} from '@invoice/contracts';
import {
  getAuth,
  IdempotencyHeadersSchema,
  ProblemRef,
  registerIdempotency,
  Type,
  type RoutePlugin,
} from '@invoice/platform-http';
import { exchangeApiKey } from '../application/api-keys.ts';
import { acceptInvitation } from '../application/invitations.ts';
import { logIn, switchOrganization } from '../application/login.ts';
import {
  changePassword,
  confirmPasswordReset,
  logOutEverywhere,
  requestPasswordReset,
  resendVerification,
} from '../application/passwords.ts';
import { describeCaller, myOrganizations } from '../application/me.ts';
import { logOut, refreshSession } from '../application/sessions.ts';
import { signUp } from '../application/signup.ts';
import { verifyEmail } from '../application/verify-email.ts';
import type { Deps } from '../deps.ts';
import { currentPerson } from './caller.ts';

const tags = ['auth'];

/** What the auth routes need. */
export type AuthRoutesDeps = Pick<Deps, 'config' | 'logger' | 'orm' | 'keys' | 'verifier' | 'idempotency'>;

/** The /v1/auth routes (registered under that prefix). */
export function authRoutes(deps: AuthRoutesDeps): RoutePlugin {
  return async (app) => {
    // Idempotency-Key on sign-up (DESIGN §4); unauthenticated, so the platform scopes keys by client IP.
    // The password stays out of the stored fingerprint: no fast hash of it may sit beside its argon2id.
    const idempotent = registerIdempotency(app, deps.idempotency, {
      fingerprint: (request) => ({ ...(request.body as object), password: undefined }),
    });

    app.post(
      '/signup',
      {
        schema: {
          tags,
          summary: 'Create an organization and its owner (unverified); a verification email follows',
          // A retried sign-up carrying the same key returns the first response instead of 409 EMAIL_TAKEN.
          headers: IdempotencyHeadersSchema,
          body: SignupRequestSchema,
          // 409: EMAIL_TAKEN, or the same Idempotency-Key still in flight; 422: the key was used with another body.
          response: { 201: SignupResponseSchema, 400: ProblemRef, 409: ProblemRef, 422: ProblemRef },
        },
        preHandler: idempotent,
      },
      async (request, reply) => reply.status(201).send(await signUp(deps, request.body)),
    );

    app.post(
      '/verify-email',
      {
        schema: {
          tags,
          summary: 'Verify an email address with the one-time token from the verification email',
          body: VerifyEmailRequestSchema,
          response: { 200: VerifyEmailResponseSchema, 400: ProblemRef },
        },
      },
      async (request) => {
        await verifyEmail(deps, request.body.token);
        return { verified: true as const };
      },
    );

    app.post(
      '/login',
      {
        schema: {
          tags,
          summary: 'Log in with email and password; returns an access token and a refresh token',
          body: LoginRequestSchema,
          // 429: too many failed logins for this email (Retry-After says when to try again).
          response: {
            200: TokenPairSchema,
            400: ProblemRef,
            401: ProblemRef,
            403: ProblemRef,
            429: ProblemRef,
          },
        },
      },
      async (request, reply) =>
        reply.header('cache-control', 'no-store').send(await logIn(deps, request.body)),
    );

    app.post(
      '/refresh',
      {
        schema: {
          tags,
          summary: 'Exchange a refresh token for a new pair (the old refresh token stops working)',
          body: RefreshTokenRequestSchema,
          response: { 200: TokenPairSchema, 400: ProblemRef },
        },
      },
      async (request, reply) =>
        reply.header('cache-control', 'no-store').send(await refreshSession(deps, request.body.refreshToken)),
    );

    app.post(
      '/logout',
      {
        schema: {
          tags,
          summary: 'End the session of a refresh token (every token of its login)',
          body: RefreshTokenRequestSchema,
          response: { 204: Type.Null(), 400: ProblemRef },
        },
      },
      async (request, reply) => {
        await logOut(deps, request.body.refreshToken);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/me',
      {
        preValidation: currentPerson(deps),
        schema: {
          tags,
          summary: 'The caller: user, organization, role and permissions',
          security: [{ bearerAuth: [] }],
          response: { 200: MeResponseSchema, 401: ProblemRef, 403: ProblemRef },
        },
      },
      async (request) => describeCaller(deps.orm, getAuth(request)),
    );

    const authenticated = currentPerson(deps);

    app.get(
      '/organizations',
      {
        preValidation: authenticated,
        schema: {
          tags,
          summary: 'The organizations the caller belongs to (to choose at login or switch to)',
          security: [{ bearerAuth: [] }],
          response: { 200: MyOrganizationsSchema, 401: ProblemRef, 403: ProblemRef },
        },
      },
      async (request) => myOrganizations(deps.orm, getAuth(request)),
    );
    const accepted = { accepted: true as const };

    app.post(
      '/accept-invitation',
      {
        schema: {
          tags,
          summary:
            'Join an organization with an invitation token (a new account gets name and password; an existing one gives its password)',
          body: AcceptInvitationRequestSchema,
          response: {
            200: AcceptInvitationResponseSchema,
            400: ProblemRef,
            401: ProblemRef,
            409: ProblemRef,
            429: ProblemRef,
          },
        },
      },
      async (request) => acceptInvitation(deps, request.body),
    );

    app.post(
      '/switch-organization',
      {
        preValidation: authenticated,
        schema: {
          tags,
          summary: 'Tokens for another organization the caller is an active member of',
          security: [{ bearerAuth: [] }],
          body: SwitchOrganizationRequestSchema,
          response: {
            200: TokenPairSchema,
            400: ProblemRef,
            401: ProblemRef,
            403: ProblemRef,
            404: ProblemRef,
          },
        },
      },
      async (request, reply) =>
        reply
          .header('cache-control', 'no-store')
          .send(await switchOrganization(deps, getAuth(request).userId, request.body.organizationId)),
    );

    app.post(
      '/password-reset',
      {
        schema: {
          tags,
          summary: 'Email a password reset link (the answer is the same whether the address has an account)',
          body: EmailOnlyRequestSchema,
          response: { 202: AcceptedResponseSchema, 400: ProblemRef },
        },
      },
      async (request, reply) => {
        await requestPasswordReset(deps, request.body.email);
        return reply.status(202).send(accepted);
      },
    );

    app.post(
      '/password-reset/confirm',
      {
        schema: {
          tags,
          summary: 'Set a new password with the reset token; every session of the account ends',
          body: PasswordResetConfirmSchema,
          response: { 204: Type.Null(), 400: ProblemRef },
        },
      },
      async (request, reply) => {
        await confirmPasswordReset(deps, request.body);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/password',
      {
        preValidation: authenticated,
        schema: {
          tags,
          summary: 'Change the password (needs the current one); every session ends, log in again',
          security: [{ bearerAuth: [] }],
          body: PasswordChangeSchema,
          response: { 204: Type.Null(), 400: ProblemRef, 401: ProblemRef, 403: ProblemRef, 429: ProblemRef },
        },
      },
      async (request, reply) => {
        await changePassword(
          deps,
          getAuth(request).userId,
          request.body.currentPassword,
          request.body.newPassword,
        );
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/resend-verification',
      {
        schema: {
          tags,
          summary: 'Email a new verification link to an unverified account (same answer for any address)',
          body: EmailOnlyRequestSchema,
          response: { 202: AcceptedResponseSchema, 400: ProblemRef },
        },
      },
      async (request, reply) => {
        await resendVerification(deps, request.body.email);
        return reply.status(202).send(accepted);
      },
    );

    app.post(
      '/api-key-token',
      {
        schema: {
          tags,
          summary:
            'Exchange an API key for a short-lived access token (the gateway does this for every request made with a key)',
          body: ApiKeyTokenRequestSchema,
          response: { 200: ApiKeyTokenResponseSchema, 400: ProblemRef, 401: ProblemRef },
        },
      },
      async (request, reply) =>
        reply.header('cache-control', 'no-store').send(await exchangeApiKey(deps, request.body.apiKey)),
    );

    app.post(
      '/logout-all',
      {
        preValidation: authenticated,
        schema: {
          tags,
          summary: 'End every session of the caller in every organization (access tokens included)',
          security: [{ bearerAuth: [] }],
          response: { 204: Type.Null(), 401: ProblemRef, 403: ProblemRef },
        },
      },
      async (request, reply) => {
        await logOutEverywhere(deps, getAuth(request).userId);
        return reply.status(204).send(null);
      },
    );
  };
}

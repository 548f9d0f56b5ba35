/** Sign-up, email verification, login, refresh, logout and the caller's profile. */
import {
  LoginRequestSchema,
  MeResponseSchema,
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
  requireAuth,
  Type,
  type RoutePlugin,
} from '@invoice/platform-http';
import { logIn } from '../application/login.ts';
import { describeCaller } from '../application/me.ts';
import { logOut, refreshSession } from '../application/sessions.ts';
import { signUp } from '../application/signup.ts';
import { verifyEmail } from '../application/verify-email.ts';
import type { Deps } from '../deps.ts';

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
          response: { 200: TokenPairSchema, 400: ProblemRef, 401: ProblemRef, 403: ProblemRef },
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
        preHandler: requireAuth(deps.verifier),
        schema: {
          tags,
          summary: 'The caller: user, organization, role and permissions',
          security: [{ bearerAuth: [] }],
          response: { 200: MeResponseSchema, 401: ProblemRef },
        },
      },
      async (request) => describeCaller(deps.orm, getAuth(request)),
    );
  };
}

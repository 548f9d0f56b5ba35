import { AppError } from '@invoice/contracts';
import type { FastifyRequest } from 'fastify';
import {
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';

/** Who is calling, from a verified access token. */
export interface AuthContext {
  userId: string;
  orgId: string;
  role: string;
  permissions: string[];
}

/** Verifies access tokens: EdDSA only, issuer and audience checked, keys from the JWKS URL. */
export type JwtVerifier = (token: string) => Promise<AuthContext>;

/** Where a verifier gets its public keys: the auth service's JWKS URL, or a key getter of its own. */
export type JwtKeySource = { jwksUrl: string } | { keys: JWTVerifyGetKey };

/**
 * Creates a verifier. With a JWKS URL the key set is cached and refetched when an unknown `kid`
 * appears (at most every 30 s). When the keys cannot be fetched (auth down, a 5xx, a timeout) the
 * answer is 503, not 401: an outage must not look like a bad token and log users out.
 */
export function createJwtVerifier(options: JwtKeySource & { issuer: string; audience: string }): JwtVerifier {
  const keys =
    'keys' in options
      ? options.keys
      : createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: 30_000, timeoutDuration: 5_000 });
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ['EdDSA'],
        typ: 'at+jwt',
      }));
    } catch (error) {
      if (isKeySourceFailure(error)) {
        throw new AppError('SERVICE_UNAVAILABLE', { detail: 'Token keys are unavailable', cause: error });
      }
      throw new AppError('UNAUTHENTICATED', { detail: 'The access token is invalid or expired' });
    }
    if (typeof payload.sub !== 'string' || typeof payload.org !== 'string') {
      throw new AppError('UNAUTHENTICATED', { detail: 'The access token lacks its subject' });
    }
    return {
      userId: payload.sub,
      orgId: payload.org,
      role: typeof payload.role === 'string' ? payload.role : 'member',
      permissions: Array.isArray(payload.perms) ? payload.perms.map(String) : [],
    };
  };
}

/**
 * Token problems raise specific jose errors (JWSInvalid, JWTExpired, JWKSNoMatchingKey, …); failing
 * to get the keys raises a timeout, a bare JOSEError (non-200 JWKS) or a non-jose error (fetch failed).
 */
function isKeySourceFailure(error: unknown): boolean {
  if (error instanceof joseErrors.JWKSTimeout) return true;
  if (!(error instanceof joseErrors.JOSEError)) return true;
  return error.constructor === joseErrors.JOSEError;
}

/** Reads the bearer token of a request, or undefined. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const [scheme, token] = header.split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token : undefined;
}

/** A preHandler that verifies the bearer token and sets `request.auth`. */
export function requireAuth(verify: JwtVerifier) {
  return async (request: FastifyRequest): Promise<void> => {
    const token = bearerToken(request);
    if (!token) throw new AppError('UNAUTHENTICATED');
    request.auth = await verify(token);
  };
}

/** The verified caller of a request that passed {@link requireAuth}. */
export function getAuth(request: FastifyRequest): AuthContext {
  if (!request.auth) throw new AppError('UNAUTHENTICATED');
  return request.auth;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth?: AuthContext;
  }
}

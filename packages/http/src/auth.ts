import { AppError } from '@invoice/contracts';
import type { FastifyRequest } from 'fastify';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';

/** Who is calling, from a verified access token. */
export interface AuthContext {
  userId: string;
  orgId: string;
  role: string;
  permissions: string[];
}

/** Verifies access tokens: EdDSA only, issuer and audience checked, keys from the JWKS URL. */
export type JwtVerifier = (token: string) => Promise<AuthContext>;

/** Creates a verifier backed by a cached remote JWKS (refetched when an unknown `kid` appears). */
export function createJwtVerifier(options: {
  jwksUrl: string;
  issuer: string;
  audience: string;
}): JwtVerifier {
  const jwks = createRemoteJWKSet(new URL(options.jwksUrl), {
    cooldownDuration: 30_000,
    timeoutDuration: 5_000,
  });
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ['EdDSA'],
        typ: 'at+jwt',
      }));
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (code === 'ERR_JWKS_TIMEOUT' || (code === 'ERR_JOSE_GENERIC' && /fetch/i.test(String(error)))) {
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

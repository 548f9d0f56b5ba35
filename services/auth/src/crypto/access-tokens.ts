/**
 * Access tokens: EdDSA JWTs with `typ: at+jwt` (RFC 9068), exactly what `createJwtVerifier` in
 * packages/http checks (alg pinned, iss, aud, typ, `sub`, `org`, `role`, `perms`).
 */
import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { AppError, newId } from '@invoice/contracts';
import type { AuthContext, JwtVerifier } from '@invoice/platform-http';
import type { ActiveKey, SigningKeys } from './signing-keys.ts';

/** Issuer, audience and lifetime of access tokens. */
export interface AccessTokenOptions {
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

/** Signs an access token for a member of an organization. */
export function signAccessToken(
  key: ActiveKey,
  caller: AuthContext,
  options: AccessTokenOptions,
  now = new Date(),
): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({ org: caller.orgId, role: caller.role, perms: caller.permissions })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: key.kid })
    .setSubject(caller.userId)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + options.ttlSeconds)
    .setJti(newId())
    .sign(key.privateKey);
}

/**
 * Verifies tokens against this service's own published keys (no HTTP round trip to itself), with
 * the same checks as the shared verifier.
 */
export function createLocalVerifier(
  keys: Pick<SigningKeys, 'verificationKey'>,
  options: { issuer: string; audience: string },
): JwtVerifier {
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(
        token,
        async (header) => {
          const key = await keys.verificationKey(header.kid);
          if (!key) throw new errors.JWKSNoMatchingKey();
          return key;
        },
        { issuer: options.issuer, audience: options.audience, algorithms: ['EdDSA'], typ: 'at+jwt' },
      ));
    } catch (error) {
      // Only token problems are the caller's fault; a database failure while loading keys is ours.
      if (!(error instanceof errors.JOSEError)) throw error;
      throw new AppError('UNAUTHENTICATED', { detail: 'The access token is invalid or expired' });
    }
    if (
      typeof payload.sub !== 'string' ||
      typeof payload.org !== 'string' ||
      typeof payload.role !== 'string'
    ) {
      throw new AppError('UNAUTHENTICATED', { detail: 'The access token lacks its subject' });
    }
    return {
      userId: payload.sub,
      orgId: payload.org,
      role: payload.role,
      permissions: Array.isArray(payload.perms) ? payload.perms.map(String) : [],
    };
  };
}

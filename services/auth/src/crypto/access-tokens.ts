/**
 * Access tokens: EdDSA JWTs with `typ: at+jwt` (RFC 9068), exactly what `createJwtVerifier` in
 * packages/http checks (alg pinned, iss, aud, typ, `exp`, `iat`, `sub`, `org`, `role`, `perms`, and
 * `mv`, the membership version, against the last announced one). Auth verifies
 * them with that same verifier over its own published keys (see verification-keys.ts).
 */
import { SignJWT } from 'jose';
import { newId } from '@invoice/contracts';
import type { AuthContext } from '@invoice/platform-http';
import type { ActiveKey } from './signing-keys.ts';

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
  const claims: Record<string, unknown> = {
    org: caller.orgId,
    role: caller.role,
    perms: caller.permissions,
    mv: caller.membershipVersion ?? 1,
  };
  if (caller.apiKeyId) claims.akid = caller.apiKeyId;
  if (caller.readOnly) claims.ro = true;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: key.kid })
    .setSubject(caller.userId)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + options.ttlSeconds)
    .setJti(newId())
    .sign(key.privateKey);
}

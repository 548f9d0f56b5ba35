import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

/** A stand-in token issuer for a service's own tests: an Ed25519 key and its JWKS over HTTP. */
export interface TestIssuer {
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** Signs an access token like the auth service does. */
  sign(claims: {
    userId?: string;
    orgId?: string;
    role?: string;
    permissions?: string[];
    expiresIn?: string;
    /** The `mv` claim (membership version); left out when not given. */
    membershipVersion?: number;
    /** The `ro` claim of a read-only API key. */
    readOnly?: boolean;
  }): Promise<string>;
  stop(): Promise<void>;
}

/** Starts a JWKS endpoint on 127.0.0.1 and a random port. */
export async function startTestIssuer(
  options: { issuer?: string; audience?: string } = {},
): Promise<TestIssuer> {
  const issuer = options.issuer ?? 'invoice-platform';
  const audience = options.audience ?? 'invoice-api';
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const kid = randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  const server = createServer((_request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    issuer,
    audience,
    sign: (claims) =>
      new SignJWT({
        org: claims.orgId ?? randomUUID(),
        role: claims.role ?? 'owner',
        perms: claims.permissions ?? [],
        ...(claims.membershipVersion === undefined ? {} : { mv: claims.membershipVersion }),
        ...(claims.readOnly ? { ro: true } : {}),
      })
        .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt' })
        .setSubject(claims.userId ?? randomUUID())
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime(claims.expiresIn ?? '15m')
        .sign(privateKey),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

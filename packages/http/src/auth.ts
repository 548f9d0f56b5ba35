import { AppError } from '@invoice/contracts';
import type { FastifyRequest } from 'fastify';
import {
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JWTHeaderParameters,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';

/** Who is calling, from a verified access token. */
export interface AuthContext {
  userId: string;
  orgId: string;
  role: string;
  permissions: string[];
  /**
   * The membership version the token was issued at (`mv` claim, 0 when absent). A token older than
   * the version the services last heard of is refused (see {@link MembershipVersions}).
   */
  membershipVersion?: number;
  /** Set for tokens that stand for an API key (`akid` claim). */
  apiKeyId?: string;
  /** A read-only API key: only GET and HEAD are allowed (`ro` claim). */
  readOnly?: boolean;
}

/**
 * The lowest membership version each (organization, user) may present, as last announced by the
 * auth service (`auth.membership.changed.v1`). A role or permission change, a deactivation, a
 * password reset and "log out everywhere" raise the version, so every token issued before it is
 * refused on the next request instead of living until it expires.
 */
export interface MembershipVersions {
  /** The version a token of this member must have at least (0 when nothing is known). */
  minimumVersion(orgId: string, userId: string): number;
}

/** Verifies access tokens: EdDSA only, issuer and audience checked, keys from the JWKS URL. */
export type JwtVerifier = (token: string) => Promise<AuthContext>;

/** Where a verifier gets its public keys: the auth service's JWKS URL, or a key getter of its own. */
export type JwtKeySource = { jwksUrl: string } | { keys: JWTVerifyGetKey };

/** What {@link createJwtVerifier} needs besides its key source. */
export interface JwtVerifierOptions {
  issuer: string;
  audience: string;
  /**
   * How many verified tokens are remembered (default 10,000; 0 turns the cache off). See
   * {@link createJwtVerifier}.
   */
  cacheSize?: number;
  /** Refuses tokens older than their member's last change (see {@link MembershipVersions}). */
  memberships?: MembershipVersions;
}

/** A verified token: its caller, until when, and the key that verified it. */
interface VerifiedToken {
  auth: AuthContext;
  /** `exp` claim (seconds since the epoch). */
  expiresAt: number;
  header: JWTHeaderParameters;
  key: unknown;
}

/**
 * Creates a verifier. With a JWKS URL the key set is cached and refetched when an unknown `kid`
 * appears (at most every 30 s). When the keys cannot be fetched (auth down, a 5xx, a timeout) the
 * answer is 503, not 401: an outage must not look like a bad token and log users out.
 *
 * Every request carries its token through the gateway and again at the service, and an EdDSA
 * signature check costs ~0.2–0.4 ms of CPU, so the verifier remembers the tokens it verified (up
 * to `cacheSize`, least recently used first out), keyed by the raw token, until their `exp`.
 * Failures are never remembered. A remembered token is still only as good as its key: each use asks
 * the key source for the token's key again (cheap: the key set is cached by its own rules), and
 * unless it hands back the very key that verified the token, the token is verified afresh, so a key
 * that leaves the key set stops working exactly when it did without this cache.
 */
export function createJwtVerifier(options: JwtKeySource & JwtVerifierOptions): JwtVerifier {
  const keys =
    'keys' in options
      ? options.keys
      : createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: 30_000, timeoutDuration: 5_000 });
  const cacheSize = options.cacheSize ?? 10_000;
  const verified = new Map<string, VerifiedToken>();
  const current = (auth: AuthContext): AuthContext => {
    const minimum = options.memberships?.minimumVersion(auth.orgId, auth.userId) ?? 0;
    if ((auth.membershipVersion ?? 0) < minimum) {
      throw new AppError('UNAUTHENTICATED', {
        detail: 'The membership changed after this token was issued; refresh it',
      });
    }
    return auth;
  };

  const remembered = async (token: string): Promise<AuthContext | undefined> => {
    const entry = verified.get(token);
    if (!entry) return undefined;
    verified.delete(token);
    if (entry.expiresAt <= Math.floor(Date.now() / 1000)) return undefined;
    const [protectedHeader = '', payload = '', signature = ''] = token.split('.');
    let key: unknown;
    try {
      key = await keys(entry.header, { protected: protectedHeader, payload, signature });
    } catch {
      return undefined; // verified afresh, which reports why
    }
    if (key !== entry.key) return undefined;
    verified.set(token, entry); // most recently used last
    return { ...entry.auth, permissions: [...entry.auth.permissions] };
  };

  return async (token) => {
    if (cacheSize > 0) {
      const auth = await remembered(token);
      if (auth) return current(auth);
    }
    let payload: JWTPayload;
    let used: Omit<VerifiedToken, 'auth' | 'expiresAt'> | undefined;
    const getKey: JWTVerifyGetKey = async (header, input) => {
      const key = await keys(header, input);
      used = { header, key };
      return key;
    };
    try {
      ({ payload } = await jwtVerify(token, getKey, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ['EdDSA'],
        typ: 'at+jwt',
        // A token without an expiry, issue time or subject is never accepted.
        requiredClaims: ['exp', 'iat', 'sub'],
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
    const auth: AuthContext = {
      userId: payload.sub,
      orgId: payload.org,
      role: typeof payload.role === 'string' ? payload.role : 'member',
      permissions: Array.isArray(payload.perms) ? payload.perms.map(String) : [],
      membershipVersion: typeof payload.mv === 'number' ? payload.mv : 0,
    };
    if (typeof payload.akid === 'string') auth.apiKeyId = payload.akid;
    if (payload.ro === true) auth.readOnly = true;
    if (cacheSize > 0 && used && typeof payload.exp === 'number') {
      if (verified.size >= cacheSize) verified.delete(verified.keys().next().value as string);
      verified.set(token, { ...used, auth, expiresAt: payload.exp });
      return current({ ...auth, permissions: [...auth.permissions] });
    }
    return current(auth);
  };
}

/** The variables {@link jwtVerifierFromConfig} reads (part of `CommonConfig` in `@invoice/platform-config`). */
export interface JwtVerifierConfig {
  AUTH_JWKS_URL: string;
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
}

/**
 * The verifier of a service that checks the auth service's tokens against its JWKS URL; with
 * `memberships` (see `watchMembershipVersions` in `@invoice/platform-bus`) a role change applies at once.
 */
export function jwtVerifierFromConfig(
  config: Readonly<JwtVerifierConfig>,
  memberships?: MembershipVersions,
): JwtVerifier {
  return createJwtVerifier({
    jwksUrl: config.AUTH_JWKS_URL,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    ...(memberships ? { memberships } : {}),
  });
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

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A preHandler that verifies the bearer token and sets `request.auth`. A read-only API key may only
 * read: any other method is 403 here, whatever the route.
 */
export function requireAuth(verify: JwtVerifier) {
  return async (request: FastifyRequest): Promise<void> => {
    const token = bearerToken(request);
    if (!token) throw new AppError('UNAUTHENTICATED');
    const auth = await verify(token);
    if (auth.readOnly && !SAFE_METHODS.has(request.method)) {
      throw new AppError('FORBIDDEN', { detail: 'A read-only API key cannot change anything' });
    }
    request.auth = auth;
  };
}

/** The four permissions of a membership (mirrors `PermissionNames` in the contracts). */
export type PermissionName = 'all_invoices_access' | 'category_management' | 'products_management' | 'admin';

/**
 * The one permission rule every service applies to the verified caller: owners and admins (the
 * role, or a member holding the `admin` permission) hold every permission; any other member holds
 * the permissions listed in the token. An API key holds what it was scoped to (its token carries
 * the role `member` and exactly those permissions).
 */
export function hasPermission(
  caller: Pick<AuthContext, 'role' | 'permissions'>,
  wanted: PermissionName,
): boolean {
  if (caller.role === 'owner' || caller.role === 'admin') return true;
  return caller.permissions.includes(wanted) || caller.permissions.includes('admin');
}

/**
 * A preHandler (after {@link requireAuth}) that answers 403 FORBIDDEN unless the caller holds one of
 * `permissions`: `preHandler: [authenticate, requirePermission('products_management')]`.
 */
export function requirePermission(...permissions: PermissionName[]) {
  return async (request: FastifyRequest): Promise<void> => {
    const caller = getAuth(request);
    if (!permissions.some((permission) => hasPermission(caller, permission))) {
      throw new AppError('FORBIDDEN', { detail: `This needs the ${permissions.join(' or ')} permission` });
    }
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

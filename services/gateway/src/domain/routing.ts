/**
 * Which service answers which public path, and which paths need no token. Pure, so the table is
 * unit-tested; the proxy only looks it up.
 */

/** The upstream services behind the gateway; each is also a route family with its own body limit. */
export const UPSTREAMS = ['auth', 'catalog', 'invoicing', 'document', 'notification'] as const;

/** One upstream service behind the gateway. */
export type Upstream = (typeof UPSTREAMS)[number];

interface Rule {
  pattern: RegExp;
  upstream: Upstream;
}

/** First match wins: the PDF of an invoice is the document service's, the rest of invoices is invoicing's. */
const RULES: Rule[] = [
  { pattern: /^\/\.well-known\/jwks\.json$/, upstream: 'auth' },
  { pattern: /^\/v1\/(auth|organization|members|invitations)(\/|$)/, upstream: 'auth' },
  { pattern: /^\/v1\/(clients|categories|products|imports)(\/|$)/, upstream: 'catalog' },
  { pattern: /^\/v1\/invoices\/[^/]+\/pdf$/, upstream: 'document' },
  { pattern: /^\/v1\/documents(\/|$)/, upstream: 'document' },
  { pattern: /^\/v1\/(invoices|quotes|credit-notes|number-series|payments)(\/|$)/, upstream: 'invoicing' },
  { pattern: /^\/v1\/emails(\/|$)/, upstream: 'notification' },
];

/** Paths that are reachable without an access token (sign-up, login, verification, keys). */
const PUBLIC = [
  /^\/v1\/auth\/(signup|verify-email|login|refresh|logout|password-reset|password-reset\/confirm|accept-invitation)$/,
  /^\/\.well-known\/jwks\.json$/,
];

/** Paths whose callers are rate limited strictly (credential guessing, email bombing). */
const SENSITIVE =
  /^\/v1\/auth\/(signup|login|refresh|password-reset|password-reset\/confirm|verify-email|accept-invitation)$/;

/** The service that serves a path, or undefined when no service does. */
export function upstreamFor(path: string): Upstream | undefined {
  const clean = path.split('?')[0] ?? path;
  return RULES.find((rule) => rule.pattern.test(clean))?.upstream;
}

/** True when the path needs no access token. */
export function isPublicPath(path: string): boolean {
  const clean = path.split('?')[0] ?? path;
  return PUBLIC.some((pattern) => pattern.test(clean));
}

/** True when the path gets the strict per-IP rate limit. */
export function isSensitivePath(path: string): boolean {
  return SENSITIVE.test(path.split('?')[0] ?? path);
}

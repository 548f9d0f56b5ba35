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
  { pattern: /^\/v1\/(auth|organization|members|invitations|api-keys)(\/|$)/, upstream: 'auth' },
  { pattern: /^\/v1\/(clients|categories|products|imports)(\/|$)/, upstream: 'catalog' },
  { pattern: /^\/v1\/invoices\/[^/]+\/pdf$/, upstream: 'document' },
  { pattern: /^\/v1\/invoices\/[^/]+\/preview\.pdf$/, upstream: 'document' },
  { pattern: /^\/v1\/credit-notes\/[^/]+\/pdf$/, upstream: 'document' },
  { pattern: /^\/v1\/quotes\/[^/]+\/pdf$/, upstream: 'document' },
  { pattern: /^\/v1\/documents(\/|$)/, upstream: 'document' },
  { pattern: /^\/v1\/(invoices|quotes|credit-notes|number-series|payments)(\/|$)/, upstream: 'invoicing' },
  { pattern: /^\/v1\/emails(\/|$)/, upstream: 'notification' },
  { pattern: /^\/v1\/invoice-settings(\/|$)/, upstream: 'invoicing' },
  { pattern: /^\/v1\/recurring-invoices(\/|$)/, upstream: 'invoicing' },
];

/** Paths that are reachable without an access token (sign-up, login, verification, keys). */
const PUBLIC = [
  /^\/v1\/auth\/(signup|verify-email|login|refresh|logout|password-reset|password-reset\/confirm|accept-invitation|resend-verification)$/,
  /^\/\.well-known\/jwks\.json$/,
];

/**
 * Paths whose callers are rate limited strictly (credential guessing, email bombing). Matched against
 * the normalized path ({@link normalizePath}), so no spelling the services accept escapes the limit.
 */
const SENSITIVE =
  /^\/v1\/auth\/(signup|login|refresh|password-reset|password-reset\/confirm|verify-email|accept-invitation|resend-verification|password)$/;

/** The service that serves a path, or undefined when no service does. */
export function upstreamFor(path: string): Upstream | undefined {
  const clean = path.split('?')[0] ?? path;
  return RULES.find((rule) => rule.pattern.test(clean))?.upstream;
}

/** True for the one route that takes file uploads (`POST /v1/imports`), which has its own body limit. */
export function isUploadRoute(method: string, path: string): boolean {
  return method === 'POST' && /^\/v1\/imports\/?(\?|$)/.test(path);
}

/** True when the path needs no access token. */
export function isPublicPath(path: string): boolean {
  const clean = path.split('?')[0] ?? path;
  return PUBLIC.some((pattern) => pattern.test(clean));
}

/** True when the path gets the strict per-client rate limit (whatever its spelling). */
export function isSensitivePath(path: string): boolean {
  return SENSITIVE.test(normalizePath(path));
}

/**
 * The canonical form of a request path, for classification only (the request is forwarded as sent):
 * no query or fragment, percent-encoding decoded (repeatedly, so double encoding does not hide a
 * segment), backslashes as slashes, repeated slashes collapsed, `.` and `..` segments resolved, no
 * trailing slash, lower case. Every spelling a service would route to one handler maps to one string.
 */
export function normalizePath(path: string): string {
  let clean = path.split(/[?#]/)[0] ?? path;
  for (let round = 0; round < 3 && clean.includes('%'); round += 1) {
    try {
      clean = decodeURIComponent(clean);
    } catch {
      break; // a malformed escape stays as it is
    }
  }
  clean = clean.split(/[?#]/)[0] ?? clean; // a decoded %3F starts a query for the service too
  const segments: string[] = [];
  for (const segment of clean.replace(/\\/g, '/').split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return `/${segments.join('/')}`.toLowerCase();
}

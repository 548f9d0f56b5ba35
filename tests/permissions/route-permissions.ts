/**
 * The one table of who may call what: every route of the services whose permissions it covers,
 * with the rule that guards it. The matrix test derives every expected status from it.
 *
 * Rules: `public` needs no token; `member` any active member (an API key included; a read-only key
 * only for GET); `person` any active member's own session, never an API key; `admin`, `products_management`, `category_management`: owners and admins always,
 * a member holding that permission (or `admin`); a read-only key never writes.
 */
export type Rule = 'public' | 'member' | 'person' | 'admin' | 'products_management' | 'category_management';
export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** One route: method, path as the OpenAPI document spells it, rule. */
export type RouteRule = readonly [Method, string, Rule];

export const ROUTE_PERMISSIONS = {
  auth: [
    ['POST', '/v1/auth/signup', 'public'],
    ['POST', '/v1/auth/verify-email', 'public'],
    ['POST', '/v1/auth/login', 'public'],
    ['POST', '/v1/auth/refresh', 'public'],
    ['POST', '/v1/auth/logout', 'public'],
    ['POST', '/v1/auth/accept-invitation', 'public'],
    ['POST', '/v1/auth/password-reset', 'public'],
    ['POST', '/v1/auth/password-reset/confirm', 'public'],
    ['POST', '/v1/auth/resend-verification', 'public'],
    ['POST', '/v1/auth/api-key-token', 'public'],
    ['GET', '/.well-known/jwks.json', 'public'],
    ['GET', '/v1/auth/me', 'person'],
    ['GET', '/v1/auth/organizations', 'person'],
    ['POST', '/v1/auth/switch-organization', 'person'],
    ['POST', '/v1/auth/password', 'person'],
    ['GET', '/v1/organization', 'member'],
    ['PATCH', '/v1/organization', 'admin'],
    ['GET', '/v1/organization/settings', 'admin'],
    ['PATCH', '/v1/organization/settings', 'admin'],
    ['GET', '/v1/members', 'admin'],
    ['GET', '/v1/members/{id}', 'admin'],
    ['PATCH', '/v1/members/{id}', 'admin'],
    ['DELETE', '/v1/members/{id}', 'admin'],
    ['POST', '/v1/invitations', 'admin'],
    ['GET', '/v1/invitations', 'admin'],
    ['DELETE', '/v1/invitations/{id}', 'admin'],
    ['POST', '/v1/invitations/{id}/resend', 'admin'],
    ['POST', '/v1/api-keys', 'admin'],
    ['GET', '/v1/api-keys', 'admin'],
    ['DELETE', '/v1/api-keys/{id}', 'admin'],
    // Last: it ends the caller's sessions.
    ['POST', '/v1/auth/logout-all', 'person'],
  ],
  catalog: [
    ['GET', '/v1/clients', 'member'],
    ['GET', '/v1/clients/export', 'member'],
    ['POST', '/v1/clients', 'member'],
    ['GET', '/v1/clients/{id}', 'member'],
    ['PATCH', '/v1/clients/{id}', 'member'],
    ['DELETE', '/v1/clients/{id}', 'member'],
    ['POST', '/v1/clients/{id}/archive', 'member'],
    ['POST', '/v1/clients/{id}/unarchive', 'member'],
    ['GET', '/v1/products', 'member'],
    ['GET', '/v1/products/export', 'member'],
    ['POST', '/v1/products', 'products_management'],
    ['GET', '/v1/products/{id}', 'member'],
    ['PATCH', '/v1/products/{id}', 'products_management'],
    ['DELETE', '/v1/products/{id}', 'products_management'],
    ['PATCH', '/v1/products', 'products_management'],
    ['POST', '/v1/products/{id}/archive', 'products_management'],
    ['POST', '/v1/products/{id}/unarchive', 'products_management'],
    ['POST', '/v1/products/bulk/archive', 'products_management'],
    ['POST', '/v1/products/bulk/unarchive', 'products_management'],
    ['POST', '/v1/products/bulk/delete', 'products_management'],
    ['GET', '/v1/categories', 'member'],
    ['POST', '/v1/categories', 'category_management'],
    ['GET', '/v1/categories/{id}', 'member'],
    ['PATCH', '/v1/categories/{id}', 'category_management'],
    ['DELETE', '/v1/categories/{id}', 'category_management'],
    ['POST', '/v1/imports', 'products_management'],
    ['GET', '/v1/imports/{id}', 'products_management'],
    ['DELETE', '/v1/imports/{id}', 'products_management'],
    ['GET', '/v1/imports/{id}/sheets/{sheet}', 'products_management'],
    ['POST', '/v1/imports/{id}/run', 'products_management'],
    ['GET', '/v1/imports/{id}/errors', 'products_management'],
  ],
  // Issuing, voiding and recording payments are member actions; which invoices a member reaches is
  // decided per row (`all_invoices_access`), not per route. Numbering and reminders: admins.
  invoicing: [
    ['GET', '/v1/credit-notes/{id}', 'member'],
    ['POST', '/v1/credit-notes/{id}/send', 'member'],
    ['GET', '/v1/invoice-settings', 'member'],
    ['PUT', '/v1/invoice-settings', 'admin'],
    ['POST', '/v1/invoices', 'member'],
    ['GET', '/v1/invoices', 'member'],
    ['GET', '/v1/invoices/{id}', 'member'],
    ['PATCH', '/v1/invoices/{id}', 'member'],
    ['DELETE', '/v1/invoices/{id}', 'member'],
    ['POST', '/v1/invoices/{id}/credit-notes', 'member'],
    ['GET', '/v1/invoices/{id}/credit-notes', 'member'],
    ['POST', '/v1/invoices/{id}/issue', 'member'],
    ['POST', '/v1/invoices/{id}/payments', 'member'],
    ['GET', '/v1/invoices/{id}/payments', 'member'],
    ['DELETE', '/v1/invoices/{id}/payments/{paymentId}', 'member'],
    ['POST', '/v1/invoices/{id}/payments/{paymentId}/refunds', 'member'],
    ['POST', '/v1/invoices/{id}/send', 'member'],
    ['POST', '/v1/invoices/{id}/void', 'member'],
    ['POST', '/v1/quotes', 'member'],
    ['GET', '/v1/quotes', 'member'],
    ['GET', '/v1/quotes/{id}', 'member'],
    ['PATCH', '/v1/quotes/{id}', 'member'],
    ['DELETE', '/v1/quotes/{id}', 'member'],
    ['POST', '/v1/quotes/{id}/send', 'member'],
    ['POST', '/v1/quotes/{id}/accept', 'member'],
    ['POST', '/v1/quotes/{id}/decline', 'member'],
    ['POST', '/v1/quotes/{id}/convert', 'member'],
    ['POST', '/v1/recurring-invoices', 'member'],
    ['GET', '/v1/recurring-invoices', 'member'],
    ['GET', '/v1/recurring-invoices/{id}', 'member'],
    ['PATCH', '/v1/recurring-invoices/{id}', 'member'],
    ['DELETE', '/v1/recurring-invoices/{id}', 'member'],
    ['GET', '/v1/recurring-invoices/{id}/occurrences', 'member'],
    ['POST', '/v1/recurring-invoices/{id}/pause', 'member'],
    ['POST', '/v1/recurring-invoices/{id}/resume', 'member'],
    ['GET', '/v1/number-series', 'member'],
    ['GET', '/v1/number-series/{documentType}', 'member'],
    ['PUT', '/v1/number-series/{documentType}', 'admin'],
  ],
  document: [
    ['GET', '/v1/credit-notes/{id}/pdf', 'member'],
    ['GET', '/v1/documents/{id}', 'member'],
    ['GET', '/v1/invoices/{id}/pdf', 'member'],
    ['GET', '/v1/invoices/{id}/preview.pdf', 'member'],
    ['GET', '/v1/quotes/{id}/pdf', 'member'],
  ],
  notification: [
    ['GET', '/v1/emails', 'member'],
    ['GET', '/v1/emails/{id}', 'member'],
  ],
} as const satisfies Record<string, readonly RouteRule[]>;

/** The callers every route is tried with. */
export const CALLERS = [
  'owner',
  'admin',
  'member:all_invoices_access',
  'member:category_management',
  'member:products_management',
  'member:admin',
  'member',
  'pending',
  'api-key:read-only',
] as const;
export type Caller = (typeof CALLERS)[number];

/** What a caller must get: `allowed` (anything but 401/403), or exactly 401 or 403. */
export type Expected = 'allowed' | 401 | 403;

/** The expected outcome of `caller` on a route, from its rule alone. */
export function expectedOutcome(caller: Caller, method: Method, rule: Rule): Expected {
  if (rule === 'public') return 'allowed';
  if (caller === 'pending') return 401;
  if (caller === 'api-key:read-only') return method === 'GET' && rule === 'member' ? 'allowed' : 403;
  if (rule === 'member' || rule === 'person') return 'allowed';
  if (caller === 'owner' || caller === 'admin' || caller === 'member:admin') return 'allowed';
  return caller === `member:${rule}` ? 'allowed' : 403;
}

/** A concrete URL for a documented path (`{id}` becomes a fresh UUID: nobody's resource). */
export function concreteUrl(path: string, id: string): string {
  return path.replace(/\{[^}]+\}/g, id);
}

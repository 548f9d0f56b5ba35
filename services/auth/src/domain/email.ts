/**
 * Emails are stored and compared lower-cased (a unique index on lower(email) backs this up), so
 * `Ann@X.com` and `ann@x.com` are one account; the original system compared them case-sensitively.
 */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

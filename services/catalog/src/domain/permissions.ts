/**
 * Who may change the catalog. The original system hid buttons in the UI and enforced nothing; here
 * the server decides (INVENTORY §3.6, §4.1).
 */

/** The part of the verified caller the rules look at. */
export interface Caller {
  role: string;
  permissions: readonly string[];
}

/** Permissions that allow creating, changing and deleting products. */
export const PRODUCT_WRITE_PERMISSIONS: readonly string[] = ['products_management', 'admin'];

/**
 * Products: `products_management` or `admin`. The organization's owner holds every permission
 * (the original system granted its creator every permission row), whatever the token lists.
 */
export function canManageProducts(caller: Caller): boolean {
  return caller.role === 'owner' || caller.permissions.some((p) => PRODUCT_WRITE_PERMISSIONS.includes(p));
}

/**
 * Clients: any member of the organization. Whoever writes invoices must be able to add or correct
 * the buyer, and the original system had no permission for customers either; the token already
 * proves membership, and every query is scoped to the caller's organization.
 */
export function canManageClients(_caller: Caller): boolean {
  return true;
}

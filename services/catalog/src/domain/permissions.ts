/**
 * Who may change the catalog. The original system hid buttons in the UI and enforced nothing; here
 * the server decides (INVENTORY §3.6, §4.1). Clients have no rule: any member may write them (whoever
 * writes invoices must be able to add or correct the buyer, and the original system had no
 * permission for customers either); the token proves membership and every query is org-scoped.
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

import { PermissionNames, type Permission, type Role } from '@invoice/contracts';

/** The creator of an organization holds every permission. */
export const OWNER_ROLE: Role = 'owner';
export const OWNER_PERMISSIONS: readonly Permission[] = [...PermissionNames];

/** True when the caller's permissions include `wanted`. */
export function hasPermission(permissions: readonly string[], wanted: Permission): boolean {
  return permissions.includes(wanted);
}

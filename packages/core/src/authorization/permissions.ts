/**
 * Every permission CareQueue checks, as `<resource>:<action>`.
 *
 * @example
 * ```ts
 * import { PERMISSIONS } from '@carequeue/core';
 *
 * PERMISSIONS.includes('queue:operate'); // true
 * ```
 */
export const PERMISSIONS = [
  'clinic:read',
  'clinic:write',
  'staff:read',
  'staff:write',
  'invitation:read',
  'invitation:write',
  'patient:read',
  'patient:write',
  'patient:export',
  'patient:erase',
  'appointment:read',
  'appointment:write',
  'queue:read',
  'queue:operate',
  'audit:read',
  'record:break-glass',
] as const;

/**
 * One of {@link PERMISSIONS}.
 *
 * @example
 * ```ts
 * const needed: Permission = 'appointment:write';
 * ```
 */
export type Permission = (typeof PERMISSIONS)[number];

/**
 * The permissions that reach protected health information. Staff need multi-factor
 * authentication (`aal2` or stronger) to use them.
 *
 * @example
 * ```ts
 * PHI_PERMISSIONS.has('patient:read'); // true
 * PHI_PERMISSIONS.has('clinic:read'); // false
 * ```
 */
export const PHI_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>([
  'patient:read',
  'patient:write',
  'patient:export',
  'patient:erase',
  'appointment:read',
  'appointment:write',
  'queue:read',
  'queue:operate',
  'audit:read',
  'record:break-glass',
]);

/**
 * Whether `permission` reaches protected health information.
 *
 * @example
 * ```ts
 * if (isPhiPermission('audit:read')) requireMfa();
 * ```
 */
export function isPhiPermission(permission: Permission): boolean {
  return PHI_PERMISSIONS.has(permission);
}

import type { Actor, Role } from './actor.js';
import { PERMISSIONS, type Permission } from './permissions.js';

/**
 * What each role may do. Scope (tenant, clinics, own patient record) is checked separately by
 * {@link authorize}.
 *
 * @example
 * ```ts
 * ROLE_PERMISSIONS.receptionist.includes('queue:operate'); // true
 * ```
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  owner: PERMISSIONS.filter((permission) => permission !== 'record:break-glass'),
  admin: PERMISSIONS.filter(
    (permission) => permission !== 'record:break-glass' && permission !== 'patient:erase',
  ),
  clinician: [
    'clinic:read',
    'staff:read',
    'patient:read',
    'patient:write',
    'appointment:read',
    'appointment:write',
    'queue:read',
    'queue:operate',
    'record:break-glass',
  ],
  receptionist: [
    'clinic:read',
    'staff:read',
    'patient:read',
    'patient:write',
    'appointment:read',
    'appointment:write',
    'queue:read',
    'queue:operate',
  ],
  patient: [
    'clinic:read',
    'staff:read',
    'patient:read',
    'patient:write',
    'patient:export',
    'appointment:read',
    'appointment:write',
    'queue:read',
  ],
  service: [
    'clinic:read',
    'staff:read',
    'invitation:read',
    'patient:read',
    'patient:write',
    'appointment:read',
    'appointment:write',
    'queue:read',
    'queue:operate',
    'audit:read',
  ],
};

/**
 * Roles that belong to clinic staff; they need MFA for PHI permissions.
 *
 * @example
 * ```ts
 * STAFF_ROLES.includes('clinician'); // true
 * ```
 */
export const STAFF_ROLES = [
  'owner',
  'admin',
  'clinician',
  'receptionist',
] as const satisfies readonly Role[];

/**
 * Staff roles whose scope is the whole tenant rather than their own clinics.
 *
 * @example
 * ```ts
 * TENANT_WIDE_ROLES.includes('admin'); // true
 * ```
 */
export const TENANT_WIDE_ROLES = ['owner', 'admin'] as const satisfies readonly Role[];

/**
 * The union of the permissions of the actor's roles.
 *
 * @example
 * ```ts
 * permissionsOf({ ...actor, roles: ['receptionist'] }).has('audit:read'); // false
 * ```
 */
export function permissionsOf(actor: Pick<Actor, 'roles'>): ReadonlySet<Permission> {
  return new Set(actor.roles.flatMap((role) => ROLE_PERMISSIONS[role]));
}

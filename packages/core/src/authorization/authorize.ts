import { ForbiddenError } from '../errors.js';
import { ASSURANCE_LEVELS, type Actor, type Role } from './actor.js';
import { isGrantLive, type BreakGlassGrant } from './break-glass-grant.js';
import { isPhiPermission, type Permission } from './permissions.js';
import { STAFF_ROLES, TENANT_WIDE_ROLES, permissionsOf } from './role-permissions.js';

/**
 * The record an action touches: its tenant, and the clinic and patient it belongs to where it has
 * them.
 *
 * @example
 * ```ts
 * const scope: ResourceScope = { tenantId: appointment.tenantId, clinicId: appointment.clinicId, patientId: appointment.patientId };
 * ```
 */
export interface ResourceScope {
  readonly tenantId: Actor['tenantId'];
  readonly clinicId?: NonNullable<Actor['clinicIds']>[number];
  readonly patientId?: NonNullable<Actor['patientId']>;
}

/**
 * Live break-glass grants to honour and the current time that decides whether they are live.
 *
 * @example
 * ```ts
 * const options: AuthorizeOptions = await breakGlass.optionsFor(actor);
 * ```
 */
export interface AuthorizeOptions {
  readonly breakGlass?: {
    readonly grants: readonly BreakGlassGrant[];
    /** Epoch milliseconds, from the `Clock`. */
    readonly now: number;
  };
}

const hasRole = (actor: Actor, roles: readonly Role[]): boolean =>
  actor.roles.some((role) => roles.includes(role));

function meetsAssurance(actor: Actor, minimum: Actor['aal']): boolean {
  return ASSURANCE_LEVELS.indexOf(actor.aal) >= ASSURANCE_LEVELS.indexOf(minimum);
}

function withinOwnScope(actor: Actor, permission: Permission, resource: ResourceScope): boolean {
  if (hasRole(actor, ['service']) || hasRole(actor, TENANT_WIDE_ROLES)) return true;
  if (hasRole(actor, STAFF_ROLES)) {
    if (resource.clinicId !== undefined) {
      return actor.clinicIds?.includes(resource.clinicId) ?? false;
    }
    return !isPhiPermission(permission);
  }
  if (resource.patientId !== undefined) return resource.patientId === actor.patientId;
  return !isPhiPermission(permission);
}

function breakGlassCovers(
  actor: Actor,
  resource: ResourceScope,
  breakGlass: AuthorizeOptions['breakGlass'],
): boolean {
  if (!breakGlass || resource.patientId === undefined) return false;
  return breakGlass.grants.some(
    (grant) =>
      grant.userId === actor.userId &&
      grant.tenantId === actor.tenantId &&
      grant.patientId === resource.patientId &&
      isGrantLive(grant, breakGlass.now),
  );
}

function denialOf(
  actor: Actor,
  permission: Permission,
  resource: ResourceScope | undefined,
  options: AuthorizeOptions,
): ForbiddenError | undefined {
  if (!permissionsOf(actor).has(permission)) {
    return new ForbiddenError(
      permission,
      `Permission ${permission} is not granted by your roles. Ask an administrator for a role that has it.`,
    );
  }
  if (
    isPhiPermission(permission) &&
    hasRole(actor, STAFF_ROLES) &&
    !meetsAssurance(actor, 'aal2')
  ) {
    return new ForbiddenError(
      permission,
      `Permission ${permission} reaches patient data and requires multi-factor authentication (aal2). Sign in again with a second factor.`,
    );
  }
  if (!resource) return undefined;
  if (resource.tenantId !== actor.tenantId) {
    return new ForbiddenError(
      permission,
      `Permission ${permission} was denied: the record belongs to another tenant.`,
    );
  }
  if (withinOwnScope(actor, permission, resource)) return undefined;
  if (breakGlassCovers(actor, resource, options.breakGlass)) return undefined;
  return new ForbiddenError(
    permission,
    `Permission ${permission} was denied: the record is outside your clinics or your own records.`,
  );
}

/**
 * Checks that `actor` may use `permission` on `resource`: one of their roles grants it; staff
 * have MFA (`aal2`+) for PHI permissions; the resource is in their tenant; staff act only in
 * their clinics (owners and admins tenant-wide), patients only on records linked to their own
 * patient id. A live break-glass grant opens one patient's records beyond the clinic scope.
 *
 * @throws {@link ForbiddenError} naming the permission, with what is missing.
 * @example
 * ```ts
 * authorize(actor, 'appointment:write', { tenantId, clinicId, patientId });
 * ```
 */
export function authorize(
  actor: Actor,
  permission: Permission,
  resource?: ResourceScope,
  options: AuthorizeOptions = {},
): void {
  const denial = denialOf(actor, permission, resource, options);
  if (denial) throw denial;
}

/**
 * The non-throwing form of {@link authorize}: whether the action is allowed.
 *
 * @example
 * ```ts
 * const showExport = can(actor, 'patient:export', { tenantId, patientId });
 * ```
 */
export function can(
  actor: Actor,
  permission: Permission,
  resource?: ResourceScope,
  options: AuthorizeOptions = {},
): boolean {
  return denialOf(actor, permission, resource, options) === undefined;
}

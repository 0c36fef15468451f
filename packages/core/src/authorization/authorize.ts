import { ForbiddenError, ValidationError, type ErrorIssue } from '../errors.js';
import { ASSURANCE_LEVELS, type Actor, type Role } from './actor.js';
import { isGrantLive, type BreakGlassGrant } from './break-glass-grant.js';
import { isPhiPermission, PERMISSIONS, type Permission } from './permissions.js';
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

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/**
 * The shape checks the rules below rely on. Types do not reach JavaScript callers or values
 * cast from untyped sources, and a raw TypeError from deep inside a rule tells the caller nothing;
 * only the argument path is reported, never the value (an actor may carry patient ids).
 */
function argumentIssues(
  actor: unknown,
  permission: unknown,
  resource: unknown,
  options: unknown,
): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  if (!isObject(actor)) {
    issues.push({ path: 'actor', message: 'must be an Actor object (parse it with ActorSchema)' });
  } else if (!Array.isArray(actor['roles'])) {
    issues.push({ path: 'actor.roles', message: 'must be an array of roles' });
  }
  // An unknown permission would otherwise be echoed by the ForbiddenError message.
  if (!(PERMISSIONS as readonly unknown[]).includes(permission)) {
    issues.push({ path: 'permission', message: 'must be one of the PERMISSIONS' });
  }
  if (resource !== undefined && !isObject(resource)) {
    issues.push({ path: 'resource', message: 'must be a ResourceScope object or be left out' });
  }
  if (!isObject(options)) {
    issues.push({ path: 'options', message: 'must be an AuthorizeOptions object or be left out' });
  } else if (options['breakGlass'] !== undefined) {
    const breakGlass = options['breakGlass'];
    if (!isObject(breakGlass) || !Array.isArray(breakGlass['grants'])) {
      issues.push({ path: 'options.breakGlass.grants', message: 'must be an array of grants' });
    }
    if (!isObject(breakGlass) || !Number.isFinite(breakGlass['now'])) {
      issues.push({
        path: 'options.breakGlass.now',
        message: 'must be the current time in epoch milliseconds, from the Clock',
      });
    }
  }
  return issues;
}

function denialOf(
  actor: Actor,
  permission: Permission,
  resource: ResourceScope | undefined,
  options: AuthorizeOptions,
): ForbiddenError | undefined {
  const issues = argumentIssues(actor, permission, resource, options);
  if (issues.length > 0) {
    throw new ValidationError(
      'The arguments of authorize or can are invalid. Fix the arguments listed in issues.',
      issues,
    );
  }
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
 * @throws {@link ValidationError} naming the argument when an argument is not of the expected
 * shape (such as a `null` actor).
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
 * @throws {@link ValidationError} naming the argument when an argument is not of the expected
 * shape: a malformed call is a bug to fix, not a denial to hide.
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

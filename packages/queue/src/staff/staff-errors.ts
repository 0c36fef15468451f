import { CarequeueError, ConflictError, type CarequeueErrorOptions } from '@carequeue/core';

/**
 * A clinic id given for a staff member, a schedule or an invitation is not a clinic of the
 * actor's tenant. The message names no id, so it does not tell whether the clinic exists
 * elsewhere.
 *
 * @example
 * ```ts
 * import { ClinicNotInTenantError } from '@carequeue/queue';
 *
 * new ClinicNotInTenantError().code; // 'CLINIC_NOT_IN_TENANT'
 * ```
 */
export class ClinicNotInTenantError extends CarequeueError {
  constructor(options?: CarequeueErrorOptions) {
    super(
      'CLINIC_NOT_IN_TENANT',
      422,
      "A clinic id is not a clinic of this tenant. Use the ids of the tenant's own clinics, as listed by the clinic service.",
      options,
    );
  }
}

/**
 * Throws {@link ClinicNotInTenantError} unless every requested clinic id is among `known`.
 *
 * @throws {@link ClinicNotInTenantError} when a requested id is not known.
 * @example
 * ```ts
 * requireKnownClinics(await scope.clinicsInTenant(tenantId, input.clinicIds), input.clinicIds);
 * ```
 */
export function requireKnownClinics(known: readonly string[], requested: readonly string[]): void {
  if (requested.some((id) => !known.includes(id))) throw new ClinicNotInTenantError();
}

/**
 * The staff member is bound to a sign-in account already (`userId` is set), and that binding
 * never changes: not to another account, not back to none. The message names no id.
 *
 * @example
 * ```ts
 * import { StaffAccountBoundError } from '@carequeue/queue';
 *
 * new StaffAccountBoundError().status; // 409
 * ```
 */
export class StaffAccountBoundError extends ConflictError {
  constructor(options?: CarequeueErrorOptions) {
    super(
      'The staff member is bound to a sign-in account, which cannot change. Register a new staff member for another account.',
      { ...options, code: 'STAFF_ACCOUNT_BOUND' },
    );
  }
}

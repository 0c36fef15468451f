import { CarequeueError, type CarequeueErrorOptions } from '@carequeue/core';

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

import type { ClinicId, TenantId } from '@carequeue/core';
import type { ClinicRepository } from '../ports/clinic-repository.js';

/**
 * The `clinicsInTenant` of a memory unit of work: which of `clinicIds` are clinics of the tenant
 * in `clinics`. Clinics of other tenants are left out exactly like ids that do not exist.
 *
 * @example
 * ```ts
 * const inTenant = memoryClinicsInTenant(clinics);
 * await inTenant(tenantId, [clinicId, otherTenantsClinicId]); // [clinicId]
 * ```
 */
export function memoryClinicsInTenant(
  clinics: ClinicRepository,
): (tenantId: TenantId, clinicIds: readonly ClinicId[]) => Promise<readonly ClinicId[]> {
  return async (tenantId, clinicIds) => {
    const found = await Promise.all(clinicIds.map((id) => clinics.get(tenantId, id)));
    return found.flatMap((clinic) => (clinic === undefined ? [] : [clinic.id]));
  };
}

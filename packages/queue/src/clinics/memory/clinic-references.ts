import type { ClinicId, TenantId } from '@carequeue/core';
import { ForeignKeyViolationError } from '@carequeue/core/sql';
import type { ClinicRepository } from '../ports/clinic-repository.js';

/**
 * Refuses references to clinics that are not clinics of `tenantId` in `clinics`, as the SQL
 * foreign keys `(tenant_id, clinic_id) REFERENCES queue.clinics (tenant_id, id)` do: with a
 * {@link ForeignKeyViolationError} naming the same constraint, so a memory adapter answers
 * exactly like the SQL one. A clinic of another tenant is refused exactly like a missing one.
 *
 * @throws {@link ForeignKeyViolationError} when a clinic id is not a clinic of the tenant.
 * @example
 * ```ts
 * await requireTenantClinics(clinics, patient.tenantId, patient.clinicIds, 'patient_clinics_tenant_id_clinic_id_fkey');
 * ```
 */
export async function requireTenantClinics(
  clinics: ClinicRepository,
  tenantId: TenantId,
  clinicIds: readonly ClinicId[],
  constraint: string,
): Promise<void> {
  for (const clinicId of new Set(clinicIds)) {
    if ((await clinics.get(tenantId, clinicId)) === undefined) {
      throw new ForeignKeyViolationError(constraint);
    }
  }
}

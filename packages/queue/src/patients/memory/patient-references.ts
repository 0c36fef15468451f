import type { PatientId, TenantId } from '@carequeue/core';
import { ForeignKeyViolationError } from '@carequeue/core/sql';
import type { PatientRepository } from '../ports/patient-repository.js';

/**
 * Refuses a reference to a patient that is not a patient of `tenantId` in `patients`, as the SQL
 * foreign keys `(tenant_id, patient_id) REFERENCES queue.patients (tenant_id, id)` do: with a
 * {@link ForeignKeyViolationError} naming the same constraint, so a memory adapter answers
 * exactly like the SQL one. A patient of another tenant is refused exactly like a missing one; a
 * row naming no patient (a guest walk-in) is let through.
 *
 * @throws {@link ForeignKeyViolationError} when the patient is not a patient of the tenant.
 * @example
 * ```ts
 * await requireTenantPatient(patients, entry.tenantId, entry.patientId, 'queue_entries_tenant_id_patient_id_fkey');
 * ```
 */
export async function requireTenantPatient(
  patients: PatientRepository,
  tenantId: TenantId,
  patientId: PatientId | undefined,
  constraint: string,
): Promise<void> {
  if (patientId === undefined) return;
  if ((await patients.get(tenantId, patientId)) === undefined) {
    throw new ForeignKeyViolationError(constraint);
  }
}

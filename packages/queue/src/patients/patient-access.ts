import { authorize, can, type Actor, type Permission } from '@carequeue/core';
import type { StoredPatient } from './ports/patient-repository.js';

/**
 * Checks that the actor may use `permission` on this patient: tenant-wide staff anywhere in the
 * tenant, clinic staff at any clinic the patient is registered at, a patient on their own record.
 *
 * @throws `ForbiddenError` (from core) when none of those holds.
 * @example
 * ```ts
 * authorizePatient(actor, 'patient:read', stored);
 * ```
 */
export function authorizePatient(
  actor: Actor,
  permission: Permission,
  patient: Pick<StoredPatient, 'id' | 'tenantId' | 'clinicIds'>,
): void {
  const base = { tenantId: patient.tenantId, patientId: patient.id };
  const viaClinic = patient.clinicIds.some((clinicId) =>
    can(actor, permission, { ...base, clinicId }),
  );
  if (!viaClinic) authorize(actor, permission, base);
}

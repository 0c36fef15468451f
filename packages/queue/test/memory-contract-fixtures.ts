import { ClinicId, StaffId, TenantId, uuidv7, type PatientId } from '@carequeue/core';
import type { ClinicRepository } from '../src/clinics/ports/clinic-repository.js';
import { memoryClinicRepository } from '../src/clinics/memory/clinic-repository.js';
import type { ContractFixtures } from '../src/testing/contract-types.js';
import type { ScheduleContractFixtures } from '../src/testing/schedule-repository-contract.js';
import { memoryPatientRepository } from '../src/patients/memory/patient-repository.js';
import type { PatientRepository } from '../src/patients/ports/patient-repository.js';
import { samplePatient } from '../src/testing/patient-repository-contract.js';
import { sampleClinic } from '../src/testing/clinic-repository-contract.js';

/**
 * Contract fixtures for memory adapters that check no references: every tenant, clinic and staff
 * member is a fresh id, stored nowhere.
 */
export const freshIdFixtures: ScheduleContractFixtures = {
  tenant: () => Promise.resolve(TenantId.parse(uuidv7())),
  clinic: () => Promise.resolve(ClinicId.parse(uuidv7())),
  staff: () => Promise.resolve(StaffId.parse(uuidv7())),
};

/**
 * Contract fixtures for memory adapters: tenants are fresh ids, clinics are stored in `clinics`,
 * which the memory repositories under test check their clinic references against.
 */
export function memoryContractFixtures(): {
  fixtures: ContractFixtures;
  clinics: ClinicRepository;
} {
  const clinics = memoryClinicRepository();
  return {
    clinics,
    fixtures: {
      tenant: freshIdFixtures.tenant,
      clinic: async (tenantId) => {
        const clinic = sampleClinic(tenantId);
        await clinics.insert(clinic);
        return clinic.id;
      },
    },
  };
}

/**
 * A memory patient repository holding a patient of `tenantId` for each of `patientIds`, for the
 * memory units of work, which accept only rows naming patients of their own tenant found there.
 */
export async function storedPatients(
  tenantId: TenantId,
  patientIds: readonly PatientId[],
): Promise<PatientRepository> {
  const patients = memoryPatientRepository();
  for (const id of patientIds) await patients.insert(samplePatient(tenantId, [], { id }));
  return patients;
}

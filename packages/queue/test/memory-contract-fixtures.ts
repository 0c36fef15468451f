import { TenantId, uuidv7 } from '@carequeue/core';
import type { ClinicRepository } from '../src/clinics/clinic-repository.js';
import { memoryClinicRepository } from '../src/clinics/memory-clinic-repository.js';
import type { ContractFixtures } from '../src/testing/contract-types.js';
import { sampleClinic } from '../src/testing/clinic-repository-contract.js';

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
      tenant: () => Promise.resolve(TenantId.parse(uuidv7())),
      clinic: async (tenantId) => {
        const clinic = sampleClinic(tenantId);
        await clinics.insert(clinic);
        return clinic.id;
      },
    },
  };
}

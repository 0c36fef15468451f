import { memoryAuditStore } from '@carequeue/audit';
import { memoryCacheBus, memoryCacheStore } from '@carequeue/cache';
import { ClinicId, TenantId, uuidv7 } from '@carequeue/core';
import { describe } from 'vitest';
import { memoryClinicRepository } from '../../src/clinics/memory/clinic-repository.js';
import { memoryPatientUnitOfWork } from '../../src/patients/memory/patient-unit-of-work.js';
import { sampleClinic } from '../../src/testing/clinic-repository-contract.js';
import { erasureRaceScenarios } from './patient-erasure-race-scenarios.js';

describe('erasure race on memory adapters', () => {
  erasureRaceScenarios(() => {
    const clinics = memoryClinicRepository();
    const auditStore = memoryAuditStore();
    const store = memoryCacheStore();
    const bus = memoryCacheBus();
    return {
      pausesInsideTransactions: true,
      unitOfWork: memoryPatientUnitOfWork({ auditStore, clinics }),
      auditStore,
      async seed() {
        const tenantId = TenantId.parse(uuidv7());
        const clinicId = ClinicId.parse(uuidv7());
        await clinics.insert(sampleClinic(tenantId, { id: clinicId }));
        return { tenantId, clinicId };
      },
      instance: () => Promise.resolve({ store, bus }),
      // The memory tier lives in the process, like L1: the instances' reads inspect it.
      storedPayloads: () => Promise.resolve([]),
    };
  });
});

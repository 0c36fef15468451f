import { ClinicId, TenantId, uuidv7 } from '@carequeue/core';
import { describe } from 'vitest';
import { memoryClinicRepository } from '../../src/clinics/memory/clinic-repository.js';
import {
  createStaffService,
  memoryStaffRepository,
  memoryStaffUnitOfWork,
} from '../../src/index.js';
import { sampleClinic } from '../../src/testing/index.js';
import { memoryServiceDependencies } from '../memory-service-fixture.js';
import { staffOwnerScenarios } from './staff-owner-scenarios.js';

describe('StaffService owners in memory', () => {
  staffOwnerScenarios(
    'memory',
    async () => {
      const { clock, auditStore, audit, cache } = memoryServiceDependencies();
      const tenantId = TenantId.parse(uuidv7());
      const clinics = memoryClinicRepository();
      const [clinicOne, clinicTwo] = [ClinicId.parse(uuidv7()), ClinicId.parse(uuidv7())];
      await clinics.insert(sampleClinic(tenantId, { id: clinicOne }));
      await clinics.insert(sampleClinic(tenantId, { id: clinicTwo }));
      const staff = memoryStaffRepository();
      return {
        tenantId,
        clinicOne,
        clinicTwo,
        service: createStaffService({
          unitOfWork: memoryStaffUnitOfWork({ auditStore, clinics, staff }),
          audit,
          cache,
          clock,
        }),
        stored: (id) => staff.get(tenantId, id),
      };
    },
    { storeJudgesCaller: false },
  );
});

import { memoryAuditStore } from '@carequeue/audit';
import { describe } from 'vitest';
import { memoryBookingUnitOfWork } from '../../src/booking/memory/booking-unit-of-work.js';
import { memoryPatientRepository } from '../../src/patients/memory/patient-repository.js';
import { samplePatient } from '../../src/testing/patient-repository-contract.js';
import { memoryWorld } from './booking-fixtures.js';
import { bookingRepositoryScenarios } from './booking-repository-scenarios.js';

describe('booking stores in memory', () => {
  // The world's patients are stored, as seedBookingWorld stores them for the SQL stores.
  const patients = memoryPatientRepository();
  bookingRepositoryScenarios({
    world: async () => {
      const world = memoryWorld();
      for (const id of world.patientIds) {
        await patients.insert(samplePatient(world.tenantId, [], { id }));
      }
      return world;
    },
    unitOfWork: () => memoryBookingUnitOfWork({ auditStore: memoryAuditStore(), patients }),
  });
});

import { memoryAuditStore } from '@carequeue/audit';
import { describe } from 'vitest';
import { memoryBookingUnitOfWork } from '../../src/booking/booking-unit-of-work.js';
import { memoryWorld } from './booking-fixtures.js';
import { bookingRepositoryScenarios } from './booking-repository-scenarios.js';

describe('booking stores in memory', () => {
  bookingRepositoryScenarios({
    world: () => Promise.resolve(memoryWorld()),
    unitOfWork: () => memoryBookingUnitOfWork({ auditStore: memoryAuditStore() }),
  });
});

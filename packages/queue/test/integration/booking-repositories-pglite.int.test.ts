import { createPgliteExecutor } from '@carequeue/core/sql';
import { useTestPglite } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { sqlBookingUnitOfWork } from '../../src/booking/postgres/booking-unit-of-work.js';
import { seedBookingWorld } from './booking-fixtures.js';
import { bookingRepositoryScenarios } from './booking-repository-scenarios.js';

describe('SQL booking stores on PGlite', () => {
  const pglite = useTestPglite();
  bookingRepositoryScenarios({
    world: () => seedBookingWorld(createPgliteExecutor(pglite.db)),
    unitOfWork: () => sqlBookingUnitOfWork({ executor: createPgliteExecutor(pglite.db) }),
  });
});

import { createPgExecutor } from '@carequeue/core/sql';
import { requirePostgres, useTestDatabase } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { sqlBookingUnitOfWork } from '../../src/booking/postgres/booking-unit-of-work.js';
import { seedBookingWorld } from './booking-fixtures.js';
import { bookingRepositoryScenarios } from './booking-repository-scenarios.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('SQL booking stores on Postgres', () => {
  const db = useTestDatabase({ poolSize: 20 });
  bookingRepositoryScenarios({
    world: () => seedBookingWorld(createPgExecutor({ pool: db.pool })),
    unitOfWork: () => sqlBookingUnitOfWork({ executor: createPgExecutor({ pool: db.pool }) }),
  });
});

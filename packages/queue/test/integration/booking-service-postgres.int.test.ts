import { createPgExecutor } from '@carequeue/core/sql';
import { requirePostgres, useTestDatabase } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { bookingServiceScenarios } from './booking-service-scenarios.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('BookingService on Postgres', () => {
  const db = useTestDatabase({ poolSize: 10 });
  bookingServiceScenarios(() => createPgExecutor({ pool: db.pool }));
});

import { createPgExecutor } from '@carequeue/core/sql';
import { requirePostgres, useTestDatabase } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { bookingRlsScenarios } from './booking-rls-scenarios.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('booking row-level security on Postgres', () => {
  const db = useTestDatabase();
  bookingRlsScenarios(() => createPgExecutor({ pool: db.pool }));
});

import { createPgExecutor } from '@carequeue/core/sql';
import { requirePostgres, useTestDatabase } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { walkInServiceScenarios } from './walk-in-service-scenarios.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('QueueService on Postgres', () => {
  const db = useTestDatabase();
  walkInServiceScenarios(() => createPgExecutor({ pool: db.pool }));
});

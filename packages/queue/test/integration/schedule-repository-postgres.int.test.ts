import { createPgExecutor } from '@carequeue/core/sql';
import { requirePostgres, useTestDatabase } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { scheduleRepositoryScenarios } from './schedule-repository-scenarios.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('SQL schedule repository on Postgres', () => {
  const db = useTestDatabase();
  scheduleRepositoryScenarios(() => createPgExecutor({ pool: db.pool }));
});

import { createPgExecutor } from '@carequeue/core/sql';
import { requirePostgres, useTestDatabase } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { rlsScenarios } from './rls-scenarios.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('queue schema on Postgres', () => {
  const db = useTestDatabase();
  rlsScenarios(() => createPgExecutor({ pool: db.pool }));
});

import { createPgExecutor } from '@carequeue/core/sql';
import { requirePostgres, useTestDatabase } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { directAccessScenarios } from './direct-access-scenarios.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('direct access matrix on Postgres', () => {
  const db = useTestDatabase();
  directAccessScenarios(() => createPgExecutor({ pool: db.pool }));
});

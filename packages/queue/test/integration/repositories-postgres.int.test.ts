import { createPgExecutor } from '@carequeue/core/sql';
import { requirePostgres, useTestDatabase } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { repositoryScenarios } from './repository-scenarios.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('SQL repositories on Postgres', () => {
  const db = useTestDatabase();
  repositoryScenarios(() => createPgExecutor({ pool: db.pool }));
});

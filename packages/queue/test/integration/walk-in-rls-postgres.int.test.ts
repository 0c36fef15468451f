import { createPgExecutor } from '@carequeue/core/sql';
import { requirePostgres, useTestDatabase } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { walkInRlsScenarios } from './walk-in-rls-scenarios.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('walk-in queue tables on Postgres', () => {
  const db = useTestDatabase();
  walkInRlsScenarios(() => createPgExecutor({ pool: db.pool }));
});

import { createPgExecutor } from '@carequeue/core/sql';
import { requirePostgres, useTestDatabase } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { clinicRepositoryScenarios } from './clinic-repository-scenarios.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('SQL clinic repositories on Postgres', () => {
  const db = useTestDatabase();
  clinicRepositoryScenarios(() => createPgExecutor({ pool: db.pool }));
});

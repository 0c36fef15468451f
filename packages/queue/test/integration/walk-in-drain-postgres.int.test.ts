import { createPgExecutor } from '@carequeue/core/sql';
import { requirePostgres, useTestDatabase } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { drainScenarios, sqlDrainSubject } from './walk-in-drain-scenarios.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('walk-in queue drained concurrently on Postgres', () => {
  const db = useTestDatabase();
  drainScenarios(() => sqlDrainSubject(createPgExecutor({ pool: db.pool })));
});

import { createPgExecutor } from '@carequeue/core/sql';
import { requirePostgres, useTestDatabase } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { deadLetterScenarios } from './dead-letter-scenarios.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('postgresDeadLetterStore on Postgres', () => {
  const db = useTestDatabase();
  deadLetterScenarios(() => createPgExecutor({ pool: db.pool }));
});

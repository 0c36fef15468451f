import { createPgExecutor } from '@carequeue/core/sql';
import { requirePostgres, useTestDatabase } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { derivedWritesScenarios } from './derived-writes-scenarios.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('writes derived from a change, on Postgres', () => {
  const db = useTestDatabase();
  derivedWritesScenarios(() => createPgExecutor({ pool: db.pool }));
});

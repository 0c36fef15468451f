import { createPgExecutor } from '@carequeue/core/sql';
import { requirePostgres, useTestDatabase } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { checkedWritesScenarios } from './checked-writes-scenarios.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('checked write functions on Postgres', () => {
  const db = useTestDatabase();
  checkedWritesScenarios(() => createPgExecutor({ pool: db.pool }));
});

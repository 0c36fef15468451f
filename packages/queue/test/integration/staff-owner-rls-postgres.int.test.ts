import { createPgExecutor } from '@carequeue/core/sql';
import { requirePostgres, useTestDatabase } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { staffOwnerRlsScenarios } from './staff-owner-rls-scenarios.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('queue.staff owner rules on Postgres', () => {
  const db = useTestDatabase();
  staffOwnerRlsScenarios(() => createPgExecutor({ pool: db.pool }));
});

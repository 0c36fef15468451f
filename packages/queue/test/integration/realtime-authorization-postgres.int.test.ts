import { createPgExecutor } from '@carequeue/core/sql';
import { requirePostgres, useTestDatabase } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { realtimeAuthorizationScenarios } from './realtime-authorization-scenarios.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('realtime channel authorization on Postgres', () => {
  const db = useTestDatabase();
  realtimeAuthorizationScenarios(() => createPgExecutor({ pool: db.pool }));
});

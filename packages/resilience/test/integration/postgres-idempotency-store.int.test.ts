import { createPgExecutor } from '@carequeue/core/sql';
import { requirePostgres, useTestDatabase } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { idempotencyScenarios } from './idempotency-scenarios.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('postgresIdempotencyStore on Postgres', () => {
  const db = useTestDatabase();
  idempotencyScenarios(() => createPgExecutor({ pool: db.pool }));
});

import { createPgExecutor } from '@carequeue/core/sql';
import { requirePostgres, useTestDatabase } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { notificationRlsScenarios } from './notification-rls-scenarios.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('outbox, opt-out, job and topic tables on Postgres', () => {
  const db = useTestDatabase();
  notificationRlsScenarios(() => createPgExecutor({ pool: db.pool }));
});

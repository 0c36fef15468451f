import { createPgExecutor } from '@carequeue/core/sql';
import { requirePostgres, useTestDatabase } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { invitationRepositoryScenarios } from './invitation-repository-scenarios.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('SQL invitation repository on Postgres', () => {
  const db = useTestDatabase();
  invitationRepositoryScenarios(() => createPgExecutor({ pool: db.pool }));
});

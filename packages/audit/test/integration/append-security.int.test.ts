import { createPgExecutor, createPgliteExecutor } from '@carequeue/core/sql';
import { requirePostgres, useTestDatabase, useTestPglite } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { appendSecurityScenarios } from './append-security-scenarios.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('audit appends on Postgres', () => {
  const db = useTestDatabase();
  appendSecurityScenarios(() => createPgExecutor({ pool: db.pool }));
});

describe('audit appends on PGlite', () => {
  const pglite = useTestPglite();
  appendSecurityScenarios(() => createPgliteExecutor(pglite.db));
});

import { requirePostgres, useTestDatabase, useTestPglite } from '@carequeue/test-harness';
import { createPgExecutor, createPgliteExecutor } from '@carequeue/core/sql';
import { describe } from 'vitest';
import { postgresAuditStore } from '../../src/adapters/postgres.js';
import { reportScenarios } from '../support/report-scenarios.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('reports on Postgres', () => {
  const db = useTestDatabase();
  reportScenarios('postgres', () =>
    postgresAuditStore({ executor: createPgExecutor({ pool: db.pool }) }),
  );
});

describe('reports on PGlite', () => {
  const pglite = useTestPglite();
  reportScenarios('pglite', () =>
    postgresAuditStore({ executor: createPgliteExecutor(pglite.db) }),
  );
});

import { requirePostgres, useTestDatabase, useTestPglite } from '@carequeue/test-harness';
import { createPgExecutor, createPgliteExecutor } from '@carequeue/core/sql';
import { describe } from 'vitest';
import { postgresAuditStore } from '../../src/adapters/postgres.js';
import { erasureScenarios } from '../support/erasure-scenarios.js';
import { reportScenarios } from '../support/report-scenarios.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('reports and erasure on Postgres', () => {
  const db = useTestDatabase();
  const store = () => postgresAuditStore({ executor: createPgExecutor({ pool: db.pool }) });
  reportScenarios('postgres', store);
  erasureScenarios('postgres', store);
});

describe('reports and erasure on PGlite', () => {
  const pglite = useTestPglite();
  const store = () => postgresAuditStore({ executor: createPgliteExecutor(pglite.db) });
  reportScenarios('pglite', store);
  erasureScenarios('pglite', store);
});

import { requirePostgres, useTestDatabase, useTestPglite } from '@carequeue/test-harness';
import { createPgExecutor, createPgliteExecutor } from '@carequeue/core/sql';
import { describe } from 'vitest';
import { postgresAuditStore } from '../../src/adapters/postgres.js';
import { auditSealTaskScenarios } from '../support/audit-seal-task-scenarios.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('the audit seal task on Postgres', () => {
  const db = useTestDatabase();
  auditSealTaskScenarios('postgres', () =>
    postgresAuditStore({ executor: createPgExecutor({ pool: db.pool }) }),
  );
});

describe('the audit seal task on PGlite', () => {
  const pglite = useTestPglite();
  auditSealTaskScenarios('pglite', () =>
    postgresAuditStore({ executor: createPgliteExecutor(pglite.db) }),
  );
});

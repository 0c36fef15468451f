import { requirePostgres, useTestDatabase } from '@carequeue/test-harness';
import { createPgExecutor, type SqlExecutor } from '@carequeue/core/sql';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresAuditStore } from '../../src/adapters/postgres.js';
import { runAuditStoreContract } from '../../src/testing/index.js';
import { patientReadScenarios } from './patient-read-scenarios.js';
import { postgresScenarios } from './store-scenarios.js';
import { trailViewScenarios } from './trail-view-scenarios.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('postgresAuditStore on Postgres', () => {
  const db = useTestDatabase();
  const writerPools: pg.Pool[] = [];
  afterAll(async () => {
    await Promise.all(writerPools.map((pool) => pool.end()));
  });

  const executor = (): SqlExecutor => createPgExecutor({ pool: db.pool });
  const writers = (): SqlExecutor[] =>
    Array.from({ length: 8 }, () => {
      const pool = new pg.Pool({ connectionString: db.url, max: 1 });
      // The database is dropped WITH (FORCE) when the file ends; an idle connection ended that way
      // must not surface as an unhandled pool error.
      pool.on('error', () => undefined);
      writerPools.push(pool);
      return createPgExecutor({ pool });
    });

  runAuditStoreContract(
    { describe, it, expect },
    { name: 'postgres', store: () => postgresAuditStore({ executor: executor() }) },
  );
  postgresScenarios(executor, writers);
  patientReadScenarios(executor);
  trailViewScenarios(executor);
});

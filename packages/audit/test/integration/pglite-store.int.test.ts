import { useTestPglite } from '@carequeue/test-harness';
import { createPgliteExecutor, type SqlExecutor } from '@carequeue/core/sql';
import { describe, expect, it } from 'vitest';
import { postgresAuditStore } from '../../src/adapters/postgres.js';
import { runAuditStoreContract } from '../../src/testing/index.js';
import { patientReadScenarios } from './patient-read-scenarios.js';
import { postgresScenarios } from './store-scenarios.js';
import { trailViewScenarios } from './trail-view-scenarios.js';

describe('postgresAuditStore on PGlite', () => {
  const pglite = useTestPglite();
  const executor = (): SqlExecutor => createPgliteExecutor(pglite.db);
  const writers = (): SqlExecutor[] => Array.from({ length: 8 }, () => executor());

  runAuditStoreContract(
    { describe, it, expect },
    { name: 'pglite', store: () => postgresAuditStore({ executor: executor() }) },
  );
  postgresScenarios(executor, writers);
  patientReadScenarios(executor);
  trailViewScenarios(executor);
});

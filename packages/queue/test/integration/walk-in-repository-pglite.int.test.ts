import { asServiceRole, createPgliteExecutor } from '@carequeue/core/sql';
import { useTestPglite } from '@carequeue/test-harness';
import { describe, expect, it } from 'vitest';
import { sqlQueueEntryRepository } from '../../src/postgres/index.js';
import { runQueueEntryRepositoryContract } from '../../src/testing/index.js';
import { seedPatientOf, sqlContractFixtures } from './service-fixtures.js';

describe('SQL queue entry repository on PGlite', () => {
  const pglite = useTestPglite();
  const executor = () => createPgliteExecutor(pglite.db);
  runQueueEntryRepositoryContract(
    { describe, it, expect },
    {
      name: 'PGlite',
      run: (work) =>
        asServiceRole(executor(), (tx) => work(sqlQueueEntryRepository({ executor: tx }))),
      fixtures: sqlContractFixtures(executor),
      patient: (tenantId) => seedPatientOf(executor(), tenantId),
    },
  );
});

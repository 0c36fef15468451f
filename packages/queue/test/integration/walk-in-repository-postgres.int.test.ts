import { asServiceRole, createPgExecutor } from '@carequeue/core/sql';
import { requirePostgres, useTestDatabase } from '@carequeue/test-harness';
import { describe, expect, it } from 'vitest';
import { sqlQueueEntryRepository } from '../../src/adapters/postgres.js';
import { runQueueEntryRepositoryContract } from '../../src/testing/index.js';
import { sqlContractFixtures } from './service-fixtures.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('SQL queue entry repository on Postgres', () => {
  const db = useTestDatabase();
  const executor = () => createPgExecutor({ pool: db.pool });
  runQueueEntryRepositoryContract(
    { describe, it, expect },
    {
      name: 'Postgres',
      run: (work) =>
        asServiceRole(executor(), (tx) => work(sqlQueueEntryRepository({ executor: tx }))),
      fixtures: sqlContractFixtures(executor),
    },
  );
});

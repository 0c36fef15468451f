import { requirePostgres, useTestDatabase, useTestPglite } from '@carequeue/test-harness';
import { createPgExecutor, createPgliteExecutor } from '@carequeue/core/sql';
import { describe } from 'vitest';
import { archiveChainScenarios } from '../support/archive-chain-scenarios.js';
import { retentionScenarios } from '../support/retention-scenarios.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('retention on Postgres', () => {
  const db = useTestDatabase();
  retentionScenarios('postgres', () => createPgExecutor({ pool: db.pool }));
});

describe('retention on PGlite', () => {
  const pglite = useTestPglite();
  retentionScenarios('pglite', () => createPgliteExecutor(pglite.db));
});

describe.skipIf(!postgres.available)('archives against the chain on Postgres', () => {
  const db = useTestDatabase();
  archiveChainScenarios('postgres', () => createPgExecutor({ pool: db.pool }));
});

describe('archives against the chain on PGlite', () => {
  const pglite = useTestPglite();
  archiveChainScenarios('pglite', () => createPgliteExecutor(pglite.db));
});

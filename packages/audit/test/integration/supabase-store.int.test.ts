import { createPgExecutor, createPgliteExecutor } from '@carequeue/core/sql';
import { requirePostgres, useTestDatabase, useTestPglite } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { useStandInPostgrest } from '../support/postgrest-stand-in.js';
import { supabaseStoreScenarios } from './supabase-store-scenarios.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('supabaseAuditStore over Postgres', () => {
  const db = useTestDatabase();
  useStandInPostgrest(() => createPgExecutor({ pool: db.pool }));
  supabaseStoreScenarios('supabase over postgres');
});

describe('supabaseAuditStore over PGlite', () => {
  const pglite = useTestPglite();
  useStandInPostgrest(() => createPgliteExecutor(pglite.db));
  supabaseStoreScenarios('supabase over pglite');
});

import { createPgExecutor } from '@carequeue/core/sql';
import { requirePostgres, useTestDatabase } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { supabaseFunctionScenarios } from './supabase-functions-scenarios.js';
import { useStandInPostgrest } from './supabase-postgrest.js';
import { supabaseRlsScenarios } from './supabase-rls-scenarios.js';
import { supabaseRepositoryScenarios } from './supabase-scenarios.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)(
  'Supabase repositories over PostgREST wire format, answered from Postgres',
  () => {
    const db = useTestDatabase();
    const executor = () => createPgExecutor({ pool: db.pool });
    const standIn = useStandInPostgrest(executor);
    supabaseRepositoryScenarios(executor, standIn);
    supabaseRlsScenarios(executor);
    supabaseFunctionScenarios(executor);
  },
);

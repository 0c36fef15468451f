import { createPgliteExecutor } from '@carequeue/core/sql';
import { useTestPglite } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { supabaseFunctionScenarios } from './supabase-functions-scenarios.js';
import { useStandInPostgrest } from './supabase-postgrest.js';
import { supabaseRlsScenarios } from './supabase-rls-scenarios.js';
import { supabaseRepositoryScenarios } from './supabase-scenarios.js';

describe('Supabase repositories over PostgREST wire format, answered from PGlite', () => {
  const pglite = useTestPglite();
  const executor = () => createPgliteExecutor(pglite.db);
  const standIn = useStandInPostgrest(executor);
  supabaseRepositoryScenarios(executor, standIn);
  supabaseRlsScenarios(executor);
  supabaseFunctionScenarios(executor);
});

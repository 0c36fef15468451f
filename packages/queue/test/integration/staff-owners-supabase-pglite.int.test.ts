import { createPgliteExecutor } from '@carequeue/core/sql';
import { useTestPglite } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { staffOwnerScenarios } from './staff-owner-scenarios.js';
import { supabaseStaffOwnerWorld } from './staff-owner-worlds.js';
import { useStandInPostgrest } from './supabase-postgrest.js';

describe('StaffService owners over Supabase, answered from PGlite', () => {
  const pglite = useTestPglite();
  const executor = () => createPgliteExecutor(pglite.db);
  useStandInPostgrest(executor);
  staffOwnerScenarios('Supabase on PGlite', () => supabaseStaffOwnerWorld(executor()), {
    storeJudgesCaller: true,
  });
});

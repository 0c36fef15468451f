import { createPgExecutor } from '@carequeue/core/sql';
import { requirePostgres, useTestDatabase } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { staffOwnerScenarios } from './staff-owner-scenarios.js';
import { sqlStaffOwnerWorld, supabaseStaffOwnerWorld } from './staff-owner-worlds.js';
import { useStandInPostgrest } from './supabase-postgrest.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('StaffService owners on Postgres', () => {
  const db = useTestDatabase();
  const executor = () => createPgExecutor({ pool: db.pool });
  useStandInPostgrest(executor);
  staffOwnerScenarios('SQL on Postgres', () => sqlStaffOwnerWorld(executor()), {
    storeJudgesCaller: true,
  });
  staffOwnerScenarios('Supabase on Postgres', () => supabaseStaffOwnerWorld(executor()), {
    storeJudgesCaller: true,
  });
});

import { createPgExecutor } from '@carequeue/core/sql';
import { requirePostgres, useTestDatabase } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { realtimeSupabaseScenarios } from './realtime-supabase-scenarios.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('Supabase Realtime channels authorized by Postgres', () => {
  const db = useTestDatabase();
  realtimeSupabaseScenarios(() => createPgExecutor({ pool: db.pool }));
});

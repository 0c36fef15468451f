import { createPgliteExecutor } from '@carequeue/core/sql';
import { useTestPglite } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { realtimeSupabaseScenarios } from './realtime-supabase-scenarios.js';

describe('Supabase Realtime channels authorized by PGlite', () => {
  const pglite = useTestPglite();
  realtimeSupabaseScenarios(() => createPgliteExecutor(pglite.db));
});

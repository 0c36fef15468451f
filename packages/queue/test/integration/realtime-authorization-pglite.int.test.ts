import { createPgliteExecutor } from '@carequeue/core/sql';
import { useTestPglite } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { realtimeAuthorizationScenarios } from './realtime-authorization-scenarios.js';

describe('realtime channel authorization on PGlite', () => {
  const pglite = useTestPglite();
  realtimeAuthorizationScenarios(() => createPgliteExecutor(pglite.db));
});

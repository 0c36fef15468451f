import { createPgliteExecutor } from '@carequeue/core/sql';
import { useTestPglite } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { rlsScenarios } from './rls-scenarios.js';

describe('queue schema on PGlite', () => {
  const pglite = useTestPglite();
  rlsScenarios(() => createPgliteExecutor(pglite.db));
});

import { createPgliteExecutor } from '@carequeue/core/sql';
import { useTestPglite } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { walkInRlsScenarios } from './walk-in-rls-scenarios.js';

describe('walk-in queue tables on PGlite', () => {
  const pglite = useTestPglite();
  walkInRlsScenarios(() => createPgliteExecutor(pglite.db));
});

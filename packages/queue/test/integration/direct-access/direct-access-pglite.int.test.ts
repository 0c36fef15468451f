import { createPgliteExecutor } from '@carequeue/core/sql';
import { useTestPglite } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { directAccessScenarios } from './direct-access-scenarios.js';

describe('direct access matrix on PGlite', () => {
  const pglite = useTestPglite();
  directAccessScenarios(() => createPgliteExecutor(pglite.db));
});

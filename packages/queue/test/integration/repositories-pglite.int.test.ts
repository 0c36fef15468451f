import { createPgliteExecutor } from '@carequeue/core/sql';
import { useTestPglite } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { repositoryScenarios } from './repository-scenarios.js';

describe('SQL repositories on PGlite', () => {
  const pglite = useTestPglite();
  repositoryScenarios(() => createPgliteExecutor(pglite.db));
});

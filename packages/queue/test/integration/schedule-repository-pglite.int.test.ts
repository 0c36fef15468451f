import { createPgliteExecutor } from '@carequeue/core/sql';
import { useTestPglite } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { scheduleRepositoryScenarios } from './schedule-repository-scenarios.js';

describe('SQL schedule repository on PGlite', () => {
  const pglite = useTestPglite();
  scheduleRepositoryScenarios(() => createPgliteExecutor(pglite.db));
});

import { createPgliteExecutor } from '@carequeue/core/sql';
import { useTestPglite } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { walkInServiceScenarios } from './walk-in-service-scenarios.js';

describe('QueueService on PGlite', () => {
  const pglite = useTestPglite();
  walkInServiceScenarios(() => createPgliteExecutor(pglite.db));
});

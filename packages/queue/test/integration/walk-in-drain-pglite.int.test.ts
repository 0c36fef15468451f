import { createPgliteExecutor } from '@carequeue/core/sql';
import { useTestPglite } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { drainScenarios, sqlDrainSubject } from './walk-in-drain-scenarios.js';

describe('walk-in queue drained concurrently on PGlite', () => {
  const pglite = useTestPglite();
  drainScenarios(() => sqlDrainSubject(createPgliteExecutor(pglite.db)));
});

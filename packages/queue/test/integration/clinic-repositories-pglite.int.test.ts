import { createPgliteExecutor } from '@carequeue/core/sql';
import { useTestPglite } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { clinicRepositoryScenarios } from './clinic-repository-scenarios.js';

describe('SQL clinic repositories on PGlite', () => {
  const pglite = useTestPglite();
  clinicRepositoryScenarios(() => createPgliteExecutor(pglite.db));
});

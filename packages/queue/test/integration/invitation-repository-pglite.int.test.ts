import { createPgliteExecutor } from '@carequeue/core/sql';
import { useTestPglite } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { invitationRepositoryScenarios } from './invitation-repository-scenarios.js';

describe('SQL invitation repository on PGlite', () => {
  const pglite = useTestPglite();
  invitationRepositoryScenarios(() => createPgliteExecutor(pglite.db));
});

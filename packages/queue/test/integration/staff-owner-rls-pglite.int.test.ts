import { createPgliteExecutor } from '@carequeue/core/sql';
import { useTestPglite } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { staffOwnerRlsScenarios } from './staff-owner-rls-scenarios.js';

describe('queue.staff owner rules on PGlite', () => {
  const pglite = useTestPglite();
  staffOwnerRlsScenarios(() => createPgliteExecutor(pglite.db));
});

import { createPgliteExecutor } from '@carequeue/core/sql';
import { useTestPglite } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { notificationRlsScenarios } from './notification-rls-scenarios.js';

describe('outbox, opt-out, job and topic tables on PGlite', () => {
  const pglite = useTestPglite();
  notificationRlsScenarios(() => createPgliteExecutor(pglite.db));
});

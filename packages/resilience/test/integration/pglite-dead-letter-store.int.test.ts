import { createPgliteExecutor } from '@carequeue/core/sql';
import { useTestPglite } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { deadLetterScenarios } from './dead-letter-scenarios.js';

describe('postgresDeadLetterStore on PGlite', () => {
  const pglite = useTestPglite();
  deadLetterScenarios(() => createPgliteExecutor(pglite.db));
});

import { createPgliteExecutor } from '@carequeue/core/sql';
import { useTestPglite } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { derivedWritesScenarios } from './derived-writes-scenarios.js';

describe('writes derived from a change, on PGlite', () => {
  const pglite = useTestPglite();
  derivedWritesScenarios(() => createPgliteExecutor(pglite.db));
});

import { createPgliteExecutor } from '@carequeue/core/sql';
import { useTestPglite } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { checkedWritesScenarios } from './checked-writes-scenarios.js';

describe('checked write functions on PGlite', () => {
  const pglite = useTestPglite();
  checkedWritesScenarios(() => createPgliteExecutor(pglite.db));
});

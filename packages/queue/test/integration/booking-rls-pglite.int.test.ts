import { createPgliteExecutor } from '@carequeue/core/sql';
import { useTestPglite } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { bookingRlsScenarios } from './booking-rls-scenarios.js';

describe('booking row-level security on PGlite', () => {
  const pglite = useTestPglite();
  bookingRlsScenarios(() => createPgliteExecutor(pglite.db));
});

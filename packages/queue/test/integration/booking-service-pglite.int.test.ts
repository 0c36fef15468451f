import { createPgliteExecutor } from '@carequeue/core/sql';
import { useTestPglite } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { bookingServiceScenarios } from './booking-service-scenarios.js';

describe('BookingService on PGlite', () => {
  const pglite = useTestPglite();
  bookingServiceScenarios(() => createPgliteExecutor(pglite.db));
});

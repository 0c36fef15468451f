import { createPgliteExecutor } from '@carequeue/core/sql';
import { useTestPglite } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { seedBookingWorld } from './booking-fixtures.js';
import { busyRangeAgreementScenarios } from './busy-range-agreement-scenarios.js';

describe('busy range and no-overlap rule: TypeScript and SQL agree on PGlite', () => {
  const pglite = useTestPglite();
  busyRangeAgreementScenarios({
    world: () => seedBookingWorld(createPgliteExecutor(pglite.db)),
    executor: () => createPgliteExecutor(pglite.db),
  });
});

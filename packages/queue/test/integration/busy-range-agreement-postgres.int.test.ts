import { createPgExecutor } from '@carequeue/core/sql';
import { requirePostgres, useTestDatabase } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { seedBookingWorld } from './booking-fixtures.js';
import { busyRangeAgreementScenarios } from './busy-range-agreement-scenarios.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)(
  'busy range and no-overlap rule: TypeScript and SQL agree on Postgres',
  () => {
    const db = useTestDatabase();
    busyRangeAgreementScenarios({
      world: () => seedBookingWorld(createPgExecutor({ pool: db.pool })),
      executor: () => createPgExecutor({ pool: db.pool }),
    });
  },
);

import { createPgExecutor } from '@carequeue/core/sql';
import { requirePostgres, useTestDatabase } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { seedClinic, staffActor } from './service-fixtures.js';
import { drainScenarios } from './walk-in-drain-scenarios.js';
import { seedWaitingSql, sqlQueueService } from './walk-in-fixtures.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('walk-in queue drained concurrently on Postgres', () => {
  const db = useTestDatabase();
  drainScenarios(async () => {
    const executor = createPgExecutor({ pool: db.pool });
    const { tenantId, clinicId } = await seedClinic(executor);
    return {
      service: sqlQueueService(executor),
      tenantId,
      clinicId,
      staff: staffActor(tenantId, ['receptionist'], [clinicId]),
      seed: (queueId, count) => seedWaitingSql(executor, tenantId, clinicId, queueId, count),
    };
  });
});

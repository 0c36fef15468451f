import { createPgliteExecutor } from '@carequeue/core/sql';
import { useTestPglite } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { seedClinic, staffActor } from './service-fixtures.js';
import { drainScenarios } from './walk-in-drain-scenarios.js';
import { seedWaitingSql, sqlQueueService } from './walk-in-fixtures.js';

describe('walk-in queue drained concurrently on PGlite', () => {
  const pglite = useTestPglite();
  drainScenarios(async () => {
    const executor = createPgliteExecutor(pglite.db);
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

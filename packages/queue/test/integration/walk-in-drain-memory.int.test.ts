import { ClinicId, TenantId, uuidv7 } from '@carequeue/core';
import { describe } from 'vitest';
import { staffActor } from './service-fixtures.js';
import { drainScenarios } from './walk-in-drain-scenarios.js';
import { memoryQueueService, seedWaiting } from './walk-in-fixtures.js';

describe('walk-in queue drained concurrently in memory', () => {
  drainScenarios(async () => {
    const tenantId = TenantId.parse(uuidv7());
    const clinicId = ClinicId.parse(uuidv7());
    const { service, entries } = await memoryQueueService(tenantId, clinicId);
    return {
      service,
      tenantId,
      clinicId,
      staff: staffActor(tenantId, ['receptionist'], [clinicId]),
      seed: (queueId, count) => seedWaiting(entries, tenantId, clinicId, queueId, count),
    };
  });
});

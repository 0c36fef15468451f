import { postgresAuditStore } from '@carequeue/audit/postgres';
import { memoryCacheBus, memoryCacheStore } from '@carequeue/cache';
import { createPgliteExecutor } from '@carequeue/core/sql';
import { useTestPglite } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { sqlPatientUnitOfWork } from '../../src/postgres/index.js';
import { erasureRaceScenarios } from './patient-erasure-race-scenarios.js';
import { seedClinic } from './service-fixtures.js';

describe('erasure race on PGlite', () => {
  const pglite = useTestPglite();
  erasureRaceScenarios(() => {
    const executor = createPgliteExecutor(pglite.db);
    const store = memoryCacheStore();
    const bus = memoryCacheBus();
    return {
      // PGlite runs one transaction at a time: a read paused inside its own would hold the erase.
      pausesInsideTransactions: false,
      unitOfWork: sqlPatientUnitOfWork({ executor }),
      auditStore: postgresAuditStore({ executor }),
      seed: () => seedClinic(executor),
      instance: () => Promise.resolve({ store, bus }),
      storedPayloads: () => Promise.resolve([]),
    };
  });
});

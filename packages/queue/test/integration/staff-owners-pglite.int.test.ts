import { createPgliteExecutor } from '@carequeue/core/sql';
import { useTestPglite } from '@carequeue/test-harness';
import { describe } from 'vitest';
import { staffOwnerScenarios } from './staff-owner-scenarios.js';
import { sqlStaffOwnerWorld } from './staff-owner-worlds.js';

describe('StaffService owners on PGlite', () => {
  const pglite = useTestPglite();
  staffOwnerScenarios('SQL on PGlite', () => sqlStaffOwnerWorld(createPgliteExecutor(pglite.db)), {
    storeJudgesCaller: true,
  });
});

import { StaffId, uuidv7 } from '@carequeue/core';
import { asServiceRole, type SqlExecutor } from '@carequeue/core/sql';
import { describe, expect, it } from 'vitest';
import { sqlScheduleRepository } from '../../src/postgres/index.js';
import {
  runScheduleRepositoryContract,
  type ScheduleContractFixtures,
} from '../../src/testing/index.js';
import { sqlContractFixtures } from './service-fixtures.js';

function fixturesOn(executor: () => SqlExecutor): ScheduleContractFixtures {
  return {
    ...sqlContractFixtures(executor),
    staff: async (tenantId, clinicIds) => {
      const staffId = StaffId.parse(uuidv7());
      await asServiceRole(executor(), (tx) =>
        tx.query(
          `INSERT INTO queue.staff (id, tenant_id, display_name, email, roles, clinic_ids, created_at, updated_at, version)
           VALUES ($1, $2, 'Dr. Example', 'doctor@example.org', '{clinician}', $3, now(), now(), 0)`,
          [staffId, tenantId, clinicIds],
        ),
      );
      return staffId;
    },
  };
}

/** The schedule repository contract on one executor kind, each save in one transaction. */
export function scheduleRepositoryScenarios(executor: () => SqlExecutor): void {
  runScheduleRepositoryContract(
    { describe, it, expect },
    {
      name: 'sql',
      create: () => {
        const repo = () => sqlScheduleRepository({ executor: executor() });
        return {
          save: (schedule) =>
            asServiceRole(executor(), (tx) =>
              sqlScheduleRepository({ executor: tx }).save(schedule),
            ),
          get: (tenantId, staffId, clinicId) => repo().get(tenantId, staffId, clinicId),
        };
      },
      fixtures: fixturesOn(executor),
    },
  );
}

import { ClinicId, StaffId, TenantId, uuidv7 } from '@carequeue/core';
import { asServiceRole, type SqlExecutor } from '@carequeue/core/sql';
import { describe, expect, it } from 'vitest';
import { sqlScheduleRepository } from '../../src/adapters/postgres.js';
import {
  runScheduleRepositoryContract,
  type ScheduleContractFixtures,
} from '../../src/testing/index.js';

function fixturesOn(executor: () => SqlExecutor): ScheduleContractFixtures {
  return {
    tenant: async () => {
      const tenantId = TenantId.parse(uuidv7());
      await asServiceRole(executor(), (tx) =>
        tx.query(
          "INSERT INTO queue.tenants (tenant_id, name, created_at) VALUES ($1, 'T', now())",
          [tenantId],
        ),
      );
      return tenantId;
    },
    clinic: async (tenantId) => {
      const clinicId = ClinicId.parse(uuidv7());
      await asServiceRole(executor(), (tx) =>
        tx.query(
          `INSERT INTO queue.clinics (id, tenant_id, name, time_zone, settings, created_at, updated_at, version)
           VALUES ($1, $2, 'Clinic', 'UTC', '{}', now(), now(), 0)`,
          [clinicId, tenantId],
        ),
      );
      return clinicId;
    },
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

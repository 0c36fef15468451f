import { ClinicId, TenantId, uuidv7 } from '@carequeue/core';
import { asServiceRole, type SqlExecutor } from '@carequeue/core/sql';
import { describe, expect, it } from 'vitest';
import { sqlClinicRepository, sqlServiceTypeRepository } from '../../src/adapters/postgres.js';
import {
  runClinicRepositoryContract,
  runServiceTypeRepositoryContract,
  type ContractFixtures,
} from '../../src/testing/index.js';

function fixturesOn(executor: () => SqlExecutor): ContractFixtures {
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
  };
}

/** Contract suites of the SQL clinic and service type repositories on one executor kind. */
export function clinicRepositoryScenarios(executor: () => SqlExecutor): void {
  const fixtures = fixturesOn(executor);
  runClinicRepositoryContract(
    { describe, it, expect },
    { name: 'sql', create: () => sqlClinicRepository({ executor: executor() }), fixtures },
  );
  runServiceTypeRepositoryContract(
    { describe, it, expect },
    { name: 'sql', create: () => sqlServiceTypeRepository({ executor: executor() }), fixtures },
  );
}

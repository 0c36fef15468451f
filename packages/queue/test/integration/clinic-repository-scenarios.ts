import type { SqlExecutor } from '@carequeue/core/sql';
import { describe, expect, it } from 'vitest';
import { sqlClinicRepository, sqlServiceTypeRepository } from '../../src/postgres/index.js';
import {
  runClinicRepositoryContract,
  runServiceTypeRepositoryContract,
} from '../../src/testing/index.js';
import { sqlContractFixtures } from './service-fixtures.js';

/** Contract suites of the SQL clinic and service type repositories on one executor kind. */
export function clinicRepositoryScenarios(executor: () => SqlExecutor): void {
  const fixtures = sqlContractFixtures(executor);
  runClinicRepositoryContract(
    { describe, it, expect },
    { name: 'sql', create: () => sqlClinicRepository({ executor: executor() }), fixtures },
  );
  runServiceTypeRepositoryContract(
    { describe, it, expect },
    { name: 'sql', create: () => sqlServiceTypeRepository({ executor: executor() }), fixtures },
  );
}

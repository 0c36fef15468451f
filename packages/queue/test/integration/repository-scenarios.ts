import type { SqlExecutor } from '@carequeue/core/sql';
import { describe, expect, it } from 'vitest';
import { sqlPatientRepository, sqlStaffRepository } from '../../src/postgres/index.js';
import {
  runPatientRepositoryContract,
  runStaffRepositoryContract,
  samplePatient,
  sampleStaff,
} from '../../src/testing/index.js';
import { sqlContractFixtures } from './service-fixtures.js';

/** Contract suites and the query-count check for the SQL repositories on one executor kind. */
export function repositoryScenarios(executor: () => SqlExecutor): void {
  const fixtures = sqlContractFixtures(executor);
  runPatientRepositoryContract(
    { describe, it, expect },
    { name: 'sql', create: () => sqlPatientRepository({ executor: executor() }), fixtures },
  );
  runStaffRepositoryContract(
    { describe, it, expect },
    { name: 'sql', create: () => sqlStaffRepository({ executor: executor() }), fixtures },
  );

  describe('listing cost', () => {
    it('runs the same number of statements for 10 and 500 patients when listing a page', async () => {
      const statements: number[] = [];
      for (const size of [10, 500]) {
        const tenantId = await fixtures.tenant();
        const clinicId = await fixtures.clinic(tenantId);
        const writer = sqlPatientRepository({ executor: executor() });
        await Promise.all(
          Array.from({ length: size }, () => writer.insert(samplePatient(tenantId, [clinicId]))),
        );
        const reader = executor();
        const before = reader.queryCount();
        const page = await sqlPatientRepository({ executor: reader }).list(tenantId, {
          limit: 500,
        });
        statements.push(reader.queryCount() - before);
        expect(page.items).toHaveLength(size);
        expect(page.items.every((patient) => patient.clinicIds[0] === clinicId)).toBe(true);
      }
      expect(statements[0]).toBe(statements[1]);
    });

    it('runs the same number of statements for 10 and 500 staff when listing a page', async () => {
      const statements: number[] = [];
      for (const size of [10, 500]) {
        const tenantId = await fixtures.tenant();
        const writer = sqlStaffRepository({ executor: executor() });
        await Promise.all(
          Array.from({ length: size }, () => writer.insert(sampleStaff(tenantId, []))),
        );
        const reader = executor();
        const before = reader.queryCount();
        const page = await sqlStaffRepository({ executor: reader }).list(tenantId, { limit: 500 });
        statements.push(reader.queryCount() - before);
        expect(page.items).toHaveLength(size);
      }
      expect(statements[0]).toBe(statements[1]);
    });
  });
}

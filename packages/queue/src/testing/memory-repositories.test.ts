import { ClinicId, TenantId, uuidv7 } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { InvalidCursorError, memoryPatientRepository, memoryStaffRepository } from '../index.js';
import type { ContractFixtures } from './contract-types.js';
import { runPatientRepositoryContract, runStaffRepositoryContract } from './index.js';

const fixtures: ContractFixtures = {
  tenant: () => Promise.resolve(TenantId.parse(uuidv7())),
  clinic: () => Promise.resolve(ClinicId.parse(uuidv7())),
};

runPatientRepositoryContract(
  { describe, it, expect },
  { name: 'memory', create: memoryPatientRepository, fixtures },
);
runStaffRepositoryContract(
  { describe, it, expect },
  { name: 'memory', create: memoryStaffRepository, fixtures },
);

describe('memory repositories', () => {
  it('rejects with InvalidCursorError when a list cursor is unreadable', async () => {
    const tenantId = await fixtures.tenant();
    await expect(memoryPatientRepository().list(tenantId, { cursor: 'x' })).rejects.toThrow(
      InvalidCursorError,
    );
    await expect(memoryStaffRepository().list(tenantId, { cursor: 'x' })).rejects.toThrow(
      InvalidCursorError,
    );
  });
});

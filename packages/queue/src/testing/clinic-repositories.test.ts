import { ClinicId, TenantId, uuidv7 } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import {
  InvalidCursorError,
  memoryClinicRepository,
  memoryServiceTypeRepository,
} from '../index.js';
import type { ContractFixtures } from './contract-types.js';
import { runClinicRepositoryContract, runServiceTypeRepositoryContract } from './index.js';

const fixtures: ContractFixtures = {
  tenant: () => Promise.resolve(TenantId.parse(uuidv7())),
  clinic: () => Promise.resolve(ClinicId.parse(uuidv7())),
};

runClinicRepositoryContract(
  { describe, it, expect },
  { name: 'memory', create: memoryClinicRepository, fixtures },
);
runServiceTypeRepositoryContract(
  { describe, it, expect },
  { name: 'memory', create: memoryServiceTypeRepository, fixtures },
);

describe('memory clinic repositories', () => {
  it('rejects with InvalidCursorError when a list cursor is unreadable', async () => {
    const tenantId = await fixtures.tenant();
    const clinicId = await fixtures.clinic(tenantId);
    await expect(memoryClinicRepository().list(tenantId, { cursor: 'x' })).rejects.toThrow(
      InvalidCursorError,
    );
    await expect(
      memoryServiceTypeRepository().listByClinic(tenantId, clinicId, { cursor: 'x' }),
    ).rejects.toThrow(InvalidCursorError);
  });
});

import { describe, expect, it } from 'vitest';
import { memoryContractFixtures } from '../../test/memory-contract-fixtures.js';
import { InvalidCursorError, memoryPatientRepository, memoryStaffRepository } from '../index.js';
import { runPatientRepositoryContract, runStaffRepositoryContract } from './index.js';

const { fixtures, clinics } = memoryContractFixtures();

runPatientRepositoryContract(
  { describe, it, expect },
  { name: 'memory', create: () => memoryPatientRepository({ clinics }), fixtures },
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

import { describe, expect, it } from 'vitest';
import {
  InvalidCursorError,
  memoryClinicRepository,
  memoryServiceTypeRepository,
} from '../index.js';
import { freshIdFixtures as fixtures } from '../../test/memory-contract-fixtures.js';
import { runClinicRepositoryContract, runServiceTypeRepositoryContract } from './index.js';

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

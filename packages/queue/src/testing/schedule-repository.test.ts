import { ClinicId, StaffId, TenantId, uuidv7 } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { memoryScheduleRepository } from '../staff/index.js';
import { runScheduleRepositoryContract } from './index.js';

runScheduleRepositoryContract(
  { describe, it, expect },
  {
    name: 'memory',
    create: memoryScheduleRepository,
    fixtures: {
      tenant: () => Promise.resolve(TenantId.parse(uuidv7())),
      clinic: () => Promise.resolve(ClinicId.parse(uuidv7())),
      staff: () => Promise.resolve(StaffId.parse(uuidv7())),
    },
  },
);

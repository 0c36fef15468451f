import { ClinicId, TenantId, uuidv7 } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { memoryInvitationRepository } from '../invitations/memory/invitation-repository.js';
import { runInvitationRepositoryContract } from './index.js';

runInvitationRepositoryContract(
  { describe, it, expect },
  {
    name: 'memory',
    create: memoryInvitationRepository,
    fixtures: {
      tenant: () => Promise.resolve(TenantId.parse(uuidv7())),
      clinic: () => Promise.resolve(ClinicId.parse(uuidv7())),
    },
  },
);

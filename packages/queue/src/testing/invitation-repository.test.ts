import { describe, expect, it } from 'vitest';
import { freshIdFixtures } from '../../test/memory-contract-fixtures.js';
import { memoryInvitationRepository } from '../invitations/memory/invitation-repository.js';
import { runInvitationRepositoryContract } from './index.js';

runInvitationRepositoryContract(
  { describe, it, expect },
  {
    name: 'memory',
    create: memoryInvitationRepository,
    fixtures: freshIdFixtures,
  },
);

import { ClinicId, QueueId, TenantId, uuidv7 } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import type { ContractFixtures } from '../testing/contract-types.js';
import { memoryQueueEntryRepository } from './memory-queue-entry-repository.js';
import {
  runQueueEntryRepositoryContract,
  sampleQueueEntry,
} from './queue-entry-repository-contract.js';
import { AlreadyQueuedError } from './walk-in-errors.js';

const fixtures: ContractFixtures = {
  tenant: () => Promise.resolve(TenantId.parse(uuidv7())),
  clinic: () => Promise.resolve(ClinicId.parse(uuidv7())),
};

const shared = memoryQueueEntryRepository();
runQueueEntryRepositoryContract(
  { describe, it, expect },
  { name: 'memory', run: (work) => work(shared), fixtures },
);

describe('memoryQueueEntryRepository', () => {
  const tenantId = TenantId.parse(uuidv7());
  const clinicId = ClinicId.parse(uuidv7());

  it('refuses entries and events of a line that was never opened', async () => {
    const repo = memoryQueueEntryRepository();
    const entry = sampleQueueEntry(tenantId, clinicId, QueueId.parse(uuidv7()));
    await expect(repo.insert(entry)).rejects.toThrow(/opened/);
    await expect(
      repo.appendEvents([
        {
          tenantId,
          clinicId,
          queueId: entry.queueId,
          entryId: entry.id,
          type: 'checked_in',
          toStatus: 'waiting',
          entryVersion: 0,
          occurredAt: entry.checkedInAt,
        },
      ]),
    ).rejects.toThrow(/must exist/);
  });

  it('rejects a second live entry of one appointment when inserting', async () => {
    const repo = memoryQueueEntryRepository();
    const queueId = QueueId.parse(uuidv7());
    await repo.nextTicket(tenantId, clinicId, queueId, '2026-03-02T09:00:00.000Z');
    const appointmentId = uuidv7() as never;
    await repo.insert(sampleQueueEntry(tenantId, clinicId, queueId, 0, { appointmentId }));
    await expect(
      repo.insert(sampleQueueEntry(tenantId, clinicId, queueId, 1, { appointmentId })),
    ).rejects.toThrow(AlreadyQueuedError);
  });
});

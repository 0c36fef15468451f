import { QueueId, TenantId, uuidv7 } from '@carequeue/core';
import { ForeignKeyViolationError } from '@carequeue/core/sql';
import { describe, expect, it } from 'vitest';
import { memoryContractFixtures } from '../../../test/memory-contract-fixtures.js';
import { memoryPatientRepository } from '../../patients/index.js';
import { samplePatient } from '../../testing/patient-repository-contract.js';
import { memoryQueueEntryRepository } from './queue-entry-repository.js';
import {
  runQueueEntryRepositoryContract,
  sampleQueueEntry,
} from '../../testing/queue-entry-repository-contract.js';
import { AlreadyQueuedError } from '../walk-in-errors.js';

const { fixtures, clinics } = memoryContractFixtures();
const patients = memoryPatientRepository();
const shared = memoryQueueEntryRepository({ clinics, patients });
runQueueEntryRepositoryContract(
  { describe, it, expect },
  {
    name: 'memory',
    run: (work) => work(shared),
    fixtures,
    patient: async (tenantId) => {
      const stored = samplePatient(tenantId, []);
      await patients.insert(stored);
      return stored.id;
    },
  },
);

describe('memoryQueueEntryRepository', () => {
  const tenantId = TenantId.parse(uuidv7());

  it('refuses entries and events of a line that was never opened', async () => {
    const clinicId = await fixtures.clinic(tenantId);
    const repo = memoryQueueEntryRepository({ clinics });
    const entry = sampleQueueEntry(tenantId, clinicId, QueueId.parse(uuidv7()));
    await expect(repo.insert(entry)).rejects.toThrow(ForeignKeyViolationError);
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
    const clinicId = await fixtures.clinic(tenantId);
    const repo = memoryQueueEntryRepository({ clinics });
    const queueId = QueueId.parse(uuidv7());
    await repo.nextTicket(tenantId, clinicId, queueId, '2026-03-02T09:00:00.000Z');
    const appointmentId = uuidv7() as never;
    await repo.insert(sampleQueueEntry(tenantId, clinicId, queueId, 0, { appointmentId }));
    await expect(
      repo.insert(sampleQueueEntry(tenantId, clinicId, queueId, 1, { appointmentId })),
    ).rejects.toThrow(AlreadyQueuedError);
  });
});

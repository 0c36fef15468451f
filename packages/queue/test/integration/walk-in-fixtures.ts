import { createAuditLogService, memoryAuditStore } from '@carequeue/audit';
import { postgresAuditStore } from '@carequeue/audit/postgres';
import { createCacheService, defaultNamespaces } from '@carequeue/cache';
import { createFakeClock, type ClinicId, type QueueId, type TenantId } from '@carequeue/core';
import {
  createFieldEncryptor,
  memorySubjectKeyStore,
  keyringFromConfig,
} from '@carequeue/core/crypto';
import { asServiceRole, type SqlExecutor } from '@carequeue/core/sql';
import { randomBytes } from 'node:crypto';
import {
  createQueueService,
  memoryQueueEntryRepository,
  memoryWalkInUnitOfWork,
  type QueueEntryRepository,
  type QueueServiceOptions,
} from '../../src/index.js';
import { sqlQueueEntryRepository, sqlWalkInUnitOfWork } from '../../src/postgres/index.js';
import { memoryClinicRepository } from '../../src/clinics/memory/clinic-repository.js';
import { sampleClinic, sampleQueueEntry } from '../../src/testing/index.js';

function encryptor() {
  const key = (): string => randomBytes(32).toString('base64');
  return createFieldEncryptor({
    keys: keyringFromConfig({ current: 'k1', keys: { k1: key() } }),
    subjectKeys: memorySubjectKeyStore(),
    blindIndex: { key: key() },
  });
}

/** A queue service over SQL storage with the Postgres audit store, a fake clock and an in-process cache. */
export function sqlQueueService(
  executor: SqlExecutor,
  overrides: Partial<QueueServiceOptions> = {},
) {
  const clock = overrides.clock ?? createFakeClock(Date.UTC(2026, 2, 2, 9));
  const fields = encryptor();
  return createQueueService({
    unitOfWork: sqlWalkInUnitOfWork({ executor }),
    audit: createAuditLogService({
      store: postgresAuditStore({ executor }),
      encryptor: fields,
      clock,
    }),
    cache: createCacheService({ namespaces: defaultNamespaces, encryptor: fields, clock }),
    clock,
    ...overrides,
  });
}

/** A queue service over memory storage whose lines may open at `clinicId`, with its repository. */
export async function memoryQueueService(
  tenantId: TenantId,
  clinicId: ClinicId,
): Promise<{
  service: ReturnType<typeof createQueueService>;
  entries: QueueEntryRepository;
}> {
  const clock = createFakeClock(Date.UTC(2026, 2, 2, 9));
  const fields = encryptor();
  const auditStore = memoryAuditStore();
  const clinics = memoryClinicRepository();
  await clinics.insert(sampleClinic(tenantId, { id: clinicId }));
  const entries = memoryQueueEntryRepository({ clinics });
  return {
    entries,
    service: createQueueService({
      unitOfWork: memoryWalkInUnitOfWork({ auditStore, entries }),
      audit: createAuditLogService({ store: auditStore, encryptor: fields, clock }),
      cache: createCacheService({ namespaces: defaultNamespaces, encryptor: fields, clock }),
      clock,
    }),
  };
}

/** Inserts `count` waiting walk-ins into a new line, one minute apart. */
export async function seedWaiting(
  entries: QueueEntryRepository,
  tenantId: TenantId,
  clinicId: ClinicId,
  queueId: QueueId,
  count: number,
): Promise<string[]> {
  await entries.nextTicket(tenantId, clinicId, queueId, '2026-03-02T08:00:00.000Z');
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const entry = sampleQueueEntry(tenantId, clinicId, queueId, index - count, {
      ticket: `W${String(index % 1000).padStart(3, '0')}`,
    });
    await entries.insert(entry);
    ids.push(entry.id);
  }
  return ids;
}

/** {@link seedWaiting} on SQL storage, in one transaction as service_role. */
export function seedWaitingSql(
  executor: SqlExecutor,
  tenantId: TenantId,
  clinicId: ClinicId,
  queueId: QueueId,
  count: number,
): Promise<string[]> {
  return asServiceRole(executor, (tx) =>
    seedWaiting(sqlQueueEntryRepository({ executor: tx }), tenantId, clinicId, queueId, count),
  );
}

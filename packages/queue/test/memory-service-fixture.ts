import {
  createAuditLogService,
  memoryAuditStore,
  type AuditLogService,
  type AuditStore,
} from '@carequeue/audit';
import { createCacheService, defaultNamespaces, type CacheService } from '@carequeue/cache';
import {
  createFakeClock,
  StaffId,
  UserId,
  uuidv7,
  type Actor,
  type FakeClock,
  type TenantId,
} from '@carequeue/core';
import {
  createFieldEncryptor,
  memorySubjectKeyStore,
  keyringFromConfig,
  type FieldEncryptor,
} from '@carequeue/core/crypto';
import { randomBytes } from 'node:crypto';

/** What every in-memory service unit test wires a service from. */
export interface MemoryServiceDependencies {
  readonly clock: FakeClock;
  readonly encryptor: FieldEncryptor;
  readonly auditStore: AuditStore;
  readonly audit: AuditLogService;
  readonly cache: CacheService;
  /** The tenant's audit events, oldest first. */
  readonly events: (
    tenantId: TenantId,
  ) => Promise<Awaited<ReturnType<AuditStore['query']>>['items']>;
}

/** A fake clock at 2026-03-02 09:00 UTC and a field encryptor with fresh random keys. */
export function clockAndEncryptor(): { clock: FakeClock; encryptor: FieldEncryptor } {
  const key = (): string => randomBytes(32).toString('base64');
  return {
    clock: createFakeClock(Date.UTC(2026, 2, 2, 9)),
    encryptor: createFieldEncryptor({
      keys: keyringFromConfig({ current: 'k1', keys: { k1: key() } }),
      subjectKeys: memorySubjectKeyStore(),
      blindIndex: { key: key() },
    }),
  };
}

/** Fresh random keys, a fake clock at 2026-03-02 09:00 UTC, a memory audit store and a cache. */
export function memoryServiceDependencies(): MemoryServiceDependencies {
  const { clock, encryptor } = clockAndEncryptor();
  const auditStore = memoryAuditStore();
  return {
    clock,
    encryptor,
    auditStore,
    audit: createAuditLogService({ store: auditStore, encryptor, clock }),
    cache: createCacheService({ namespaces: defaultNamespaces, encryptor, clock }),
    events: async (tenantId) => (await auditStore.query({ tenantId, limit: 100 })).items,
  };
}

/** A staff actor of `tenantId` at aal2 with a fresh user and staff id, changed by `overrides`. */
export function staffActorOf(
  tenantId: TenantId,
  roles: Actor['roles'],
  overrides: Partial<Actor> = {},
): Actor {
  return {
    userId: UserId.parse(uuidv7()),
    tenantId,
    roles,
    aal: 'aal2',
    staffId: StaffId.parse(uuidv7()),
    ...overrides,
  };
}

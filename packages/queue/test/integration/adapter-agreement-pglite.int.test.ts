import { createAuditLogService, memoryAuditStore } from '@carequeue/audit';
import { createCacheService, defaultNamespaces } from '@carequeue/cache';
import { QueueId, uuidv7, ValidationError } from '@carequeue/core';
import type { ClinicId, PatientId, TenantId } from '@carequeue/core';
import { asServiceRole, ForeignKeyViolationError, type SqlExecutor } from '@carequeue/core/sql';
import { useTestPglite } from '@carequeue/test-harness';
import { describe, expect, it } from 'vitest';
import { sqlPatientUnitOfWork } from '../../src/postgres/index.js';
import { memoryClinicRepository } from '../../src/clinics/memory/clinic-repository.js';
import {
  createPatientService,
  createQueueService,
  memoryPatientUnitOfWork,
  memoryWalkInUnitOfWork,
} from '../../src/index.js';
import type { NewPatient, PatientService, QueueService } from '../../src/index.js';
import { sampleClinic } from '../../src/testing/index.js';
import { clockAndEncryptor } from '../memory-service-fixture.js';
import { seedTenant, serviceDependencies, staffActor } from './service-fixtures.js';
import { sqlQueueService } from './walk-in-fixtures.js';

/** One adapter kind: services over it, and how to give a tenant a clinic and count its rows. */
interface Adapter {
  readonly patients: PatientService;
  readonly queue: QueueService;
  readonly tenant: () => Promise<TenantId>;
  readonly clinic: (tenantId: TenantId) => Promise<ClinicId>;
  readonly patientCount: (tenantId: TenantId) => Promise<number>;
}

function newPatient(clinicIds: ClinicId[], overrides: Partial<NewPatient> = {}): NewPatient {
  return {
    givenName: 'Ada',
    familyName: 'Example',
    dateOfBirth: '1980-04-02',
    contact: { preferredChannel: 'none' },
    consent: { sms: false, email: false, dataProcessing: true, recordedAt: '2026-03-02T09:00:00Z' },
    clinicIds,
    ...overrides,
  };
}

function memoryAdapter(): Adapter {
  const { clock, encryptor } = clockAndEncryptor();
  const auditStore = memoryAuditStore();
  const clinics = memoryClinicRepository();
  const unitOfWork = memoryPatientUnitOfWork({ auditStore, clinics });
  const patients = createPatientService({
    unitOfWork,
    audit: createAuditLogService({ store: auditStore, encryptor, clock }),
    cache: createCacheService({ namespaces: defaultNamespaces, encryptor, clock }),
    encryptor,
    clock,
  });
  return {
    patients,
    queue: createQueueService({
      unitOfWork: memoryWalkInUnitOfWork({ auditStore, clinics }),
      audit: createAuditLogService({ store: auditStore, encryptor, clock }),
      cache: createCacheService({ namespaces: defaultNamespaces, encryptor, clock }),
      clock,
    }),
    tenant: () => Promise.resolve(uuidv7() as TenantId),
    clinic: async (tenantId) => {
      const clinic = sampleClinic(tenantId);
      await clinics.insert(clinic);
      return clinic.id;
    },
    patientCount: (tenantId) =>
      unitOfWork.run(staffActor(tenantId), async (scope) => {
        return (await scope.patients.list(tenantId, { limit: 500 })).items.length;
      }),
  };
}

function sqlAdapter(executor: () => SqlExecutor, services: () => PatientService): Adapter {
  return {
    get patients() {
      return services();
    },
    get queue() {
      return sqlQueueService(executor());
    },
    tenant: () => seedTenant(executor()),
    clinic: async (tenantId) => {
      const clinic = sampleClinic(tenantId);
      await asServiceRole(executor(), (tx) =>
        tx.query(
          `INSERT INTO queue.clinics (id, tenant_id, name, time_zone, settings, created_at, updated_at, version)
           VALUES ($1, $2, 'Clinic', 'UTC', '{}', now(), now(), 0)`,
          [clinic.id, tenantId],
        ),
      );
      return clinic.id;
    },
    patientCount: (tenantId) =>
      asServiceRole(executor(), async (tx) => {
        const { rows } = await tx.query<{ count: number }>(
          'SELECT count(*)::int AS count FROM queue.patients WHERE tenant_id = $1',
          [tenantId],
        );
        return rows[0]?.count ?? 0;
      }),
  };
}

describe('memory and SQL adapters give the same answer', () => {
  const pglite = useTestPglite();
  const sql = () => {
    const { executor, audit, cache, encryptor, clock } = serviceDependencies(pglite.db);
    return {
      executor,
      patients: createPatientService({
        unitOfWork: sqlPatientUnitOfWork({ executor }),
        audit,
        cache,
        encryptor,
        clock,
      }),
    };
  };
  const adapters: [string, () => Adapter][] = [
    ['memory', memoryAdapter],
    [
      'PGlite',
      () =>
        sqlAdapter(
          () => sql().executor,
          () => sql().patients,
        ),
    ],
  ];

  describe.each(adapters)('on %s', (_name, adapterOf) => {
    it('a non-UUID patient id is a ValidationError on every adapter, not a 404 on memory and a 502 on SQL', async () => {
      const adapter = adapterOf();
      const tenantId = await adapter.tenant();
      await expect(
        adapter.patients.get(staffActor(tenantId), 'patient-1' as PatientId),
      ).rejects.toThrow(ValidationError);
    });

    it('a NUL byte in a patient name is a ValidationError on every adapter, not a 502 on Postgres', async () => {
      const adapter = adapterOf();
      const tenantId = await adapter.tenant();
      const clinicId = await adapter.clinic(tenantId);
      await expect(
        adapter.patients.create(
          staffActor(tenantId),
          newPatient([clinicId], { givenName: 'Ada\u0000' }),
        ),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', issues: [{ path: 'input.givenName' }] });
      expect(await adapter.patientCount(tenantId)).toBe(0);
    });

    it("tenant B creating a patient at tenant A's clinic is refused on every adapter, not accepted by memory", async () => {
      const adapter = adapterOf();
      const tenantA = await adapter.tenant();
      const tenantB = await adapter.tenant();
      const clinicOfA = await adapter.clinic(tenantA);
      await expect(
        adapter.patients.create(staffActor(tenantB), newPatient([clinicOfA])),
      ).rejects.toThrow(ForeignKeyViolationError);
      expect(await adapter.patientCount(tenantB)).toBe(0);
    });

    it("tenant B checking a walk-in in at tenant A's clinic is refused on every adapter, not accepted by memory", async () => {
      const adapter = adapterOf();
      const tenantA = await adapter.tenant();
      const tenantB = await adapter.tenant();
      const clinicOfA = await adapter.clinic(tenantA);
      await expect(
        adapter.queue.checkInWalkIn(staffActor(tenantB), {
          clinicId: clinicOfA,
          queueId: QueueId.parse(uuidv7()),
          guestName: 'Guest',
        }),
      ).rejects.toThrow(ForeignKeyViolationError);
    });
  });
});

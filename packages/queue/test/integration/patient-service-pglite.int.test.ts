import { createAuditLogService } from '@carequeue/audit';
import { postgresAuditStore } from '@carequeue/audit/postgres';
import { createCacheService, defaultNamespaces } from '@carequeue/cache';
import {
  ClinicId,
  createFakeClock,
  NotFoundError,
  StaffId,
  TenantId,
  UserId,
  uuidv7,
  type Actor,
} from '@carequeue/core';
import {
  createFieldEncryptor,
  createMemorySubjectKeyStore,
  keyringFromConfig,
} from '@carequeue/core/crypto';
import { asServiceRole, createPgliteExecutor, type SqlExecutor } from '@carequeue/core/sql';
import { useTestPglite } from '@carequeue/test-harness';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sqlPatientUnitOfWork } from '../../src/adapters/postgres.js';
import { createPatientService } from '../../src/index.js';
import { samplePatient } from '../../src/testing/index.js';

async function seedClinic(
  executor: SqlExecutor,
): Promise<{ tenantId: TenantId; clinicId: ClinicId }> {
  const tenantId = TenantId.parse(uuidv7());
  const clinicId = ClinicId.parse(uuidv7());
  await asServiceRole(executor, async (tx) => {
    await tx.query(
      "INSERT INTO queue.tenants (tenant_id, name, created_at) VALUES ($1, 'T', now())",
      [tenantId],
    );
    await tx.query(
      `INSERT INTO queue.clinics (id, tenant_id, name, time_zone, settings, created_at, updated_at, version)
       VALUES ($1, $2, 'Clinic', 'UTC', '{}', now(), now(), 0)`,
      [clinicId, tenantId],
    );
  });
  return { tenantId, clinicId };
}

function admin(tenantId: TenantId): Actor {
  return {
    userId: UserId.parse(uuidv7()),
    tenantId,
    roles: ['admin'],
    aal: 'aal2',
    staffId: StaffId.parse(uuidv7()),
  };
}

describe('PatientService on PGlite', () => {
  const pglite = useTestPglite();

  function setup() {
    const executor = createPgliteExecutor(pglite.db);
    const clock = createFakeClock(Date.UTC(2026, 2, 2, 9));
    const key = (): string => randomBytes(32).toString('base64');
    const encryptor = createFieldEncryptor({
      keys: keyringFromConfig({ current: 'k1', keys: { k1: key() } }),
      subjectKeys: createMemorySubjectKeyStore(),
      blindIndex: { key: key() },
    });
    const unitOfWork = sqlPatientUnitOfWork({ executor });
    const service = createPatientService({
      unitOfWork,
      audit: createAuditLogService({ store: postgresAuditStore({ executor }), encryptor, clock }),
      cache: createCacheService({ namespaces: defaultNamespaces, encryptor, clock }),
      encryptor,
      clock,
    });
    const eventsOf = async (patientId: string) =>
      asServiceRole(executor, async (tx) => {
        const { rows } = await tx.query<{ action: string }>(
          'SELECT action FROM audit.events WHERE patient_id = $1 ORDER BY timestamp, id',
          [patientId],
        );
        return rows.map((row) => row.action);
      });
    return { executor, unitOfWork, service, eventsOf };
  }

  it('commits the patient and its audit event together under the actor claims', async () => {
    const { executor, service, eventsOf } = setup();
    const { tenantId, clinicId } = await seedClinic(executor);
    const actor = admin(tenantId);
    const created = await service.create(actor, {
      givenName: 'Ada',
      familyName: 'Example',
      dateOfBirth: '1980-04-02',
      contact: { preferredChannel: 'none' },
      nationalId: '123-45-6789',
      consent: {
        sms: false,
        email: false,
        dataProcessing: true,
        recordedAt: '2026-03-02T09:00:00Z',
      },
      clinicIds: [clinicId],
    });
    expect(await eventsOf(created.id)).toEqual(['create']);
    expect((await service.findByNationalId(actor, '123-45-6789')).map((p) => p.id)).toEqual([
      created.id,
    ]);
    const other = await seedClinic(executor);
    await expect(service.get(admin(other.tenantId), created.id)).rejects.toThrow(NotFoundError);
  });

  it('leaves neither the patient nor the audit event when the unit of work fails', async () => {
    const { executor, unitOfWork, eventsOf } = setup();
    const { tenantId, clinicId } = await seedClinic(executor);
    const actor = admin(tenantId);
    const audit = createAuditLogService({ store: postgresAuditStore({ executor }) });
    const patient = samplePatient(tenantId, [clinicId]);
    await expect(
      unitOfWork.run(actor, async ({ patients, recordAudit }) => {
        await patients.insert(patient);
        await recordAudit(
          await audit.buildModificationEvent(
            actor.userId,
            `Patient/${patient.id}`,
            null,
            {
              id: patient.id,
            },
            { tenantId },
          ),
        );
        throw new Error('fails after both writes');
      }),
    ).rejects.toThrow('fails after both writes');
    expect(await eventsOf(patient.id)).toEqual([]);
    const stored = await asServiceRole(executor, (tx) =>
      tx.query('SELECT id FROM queue.patients WHERE id = $1', [patient.id]),
    );
    expect(stored.rows).toHaveLength(0);
  });
});

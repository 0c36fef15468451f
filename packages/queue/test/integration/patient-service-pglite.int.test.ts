import { createAuditLogService } from '@carequeue/audit';
import { postgresAuditStore } from '@carequeue/audit/postgres';
import { NotFoundError, UserId, uuidv7, type Actor } from '@carequeue/core';
import { asServiceRole } from '@carequeue/core/sql';
import { useTestPglite } from '@carequeue/test-harness';
import { describe, expect, it } from 'vitest';
import { sqlPatientUnitOfWork } from '../../src/postgres/index.js';
import { createPatientService } from '../../src/index.js';
import { samplePatient } from '../../src/testing/index.js';
import { seedClinic, serviceDependencies, staffActor } from './service-fixtures.js';

describe('PatientService on PGlite', () => {
  const pglite = useTestPglite();

  function setup() {
    const { executor, audit, cache, encryptor, clock } = serviceDependencies(pglite.db);
    const unitOfWork = sqlPatientUnitOfWork({ executor });
    const service = createPatientService({ unitOfWork, audit, cache, encryptor, clock });
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
    const actor = staffActor(tenantId);
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
    await expect(service.get(staffActor(other.tenantId), created.id)).rejects.toThrow(
      NotFoundError,
    );
  });

  it('leaves neither the patient nor the audit event when the unit of work fails', async () => {
    const { executor, unitOfWork, eventsOf } = setup();
    const { tenantId, clinicId } = await seedClinic(executor);
    const actor = staffActor(tenantId);
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

  it("lets a patient update their own contact details (the repository re-inserted the patient's clinic links, which only staff may write, so the update failed on SQL)", async () => {
    const { executor, service } = setup();
    const { tenantId, clinicId } = await seedClinic(executor);
    const userId = UserId.parse(uuidv7());
    const created = await service.create(staffActor(tenantId), {
      givenName: 'Ada',
      familyName: 'Example',
      dateOfBirth: '1980-04-02',
      contact: { preferredChannel: 'none' },
      consent: {
        sms: false,
        email: false,
        dataProcessing: true,
        recordedAt: '2026-03-02T09:00:00Z',
      },
      clinicIds: [clinicId],
      userId,
    });
    const patient: Actor = {
      userId,
      tenantId,
      roles: ['patient'],
      aal: 'aal1',
      patientId: created.id,
    };
    const updated = await service.update(patient, created.id, {
      expectedVersion: created.version,
      contact: { preferredChannel: 'email', email: 'ada@example.org' },
    });
    expect([updated.version, updated.contact.email, updated.clinicIds]).toEqual([
      created.version + 1,
      'ada@example.org',
      [clinicId],
    ]);
  });
});

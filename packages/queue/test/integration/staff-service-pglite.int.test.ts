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
import { sqlStaffUnitOfWork } from '../../src/adapters/postgres.js';
import { createStaffService } from '../../src/index.js';

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

function staffActor(tenantId: TenantId, roles: Actor['roles'], clinicIds: ClinicId[] = []): Actor {
  return {
    userId: UserId.parse(uuidv7()),
    tenantId,
    roles,
    aal: 'aal2',
    staffId: StaffId.parse(uuidv7()),
    clinicIds,
  };
}

describe('StaffService on PGlite', () => {
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
    const service = createStaffService({
      unitOfWork: sqlStaffUnitOfWork({ executor }),
      audit: createAuditLogService({
        store: postgresAuditStore({ executor }),
        encryptor,
        clock,
      }),
      cache: createCacheService({ namespaces: defaultNamespaces, encryptor, clock }),
      clock,
    });
    const eventsOf = async (resourceId: string) =>
      asServiceRole(executor, async (tx) => {
        const { rows } = await tx.query<{ action: string; resource_type: string }>(
          'SELECT action, resource_type FROM audit.events WHERE resource_id = $1 ORDER BY timestamp, id',
          [resourceId],
        );
        return rows.map((row) => `${row.resource_type}:${row.action}`);
      });
    return { executor, service, eventsOf };
  }

  it('commits staff, schedules and their audit events under the actor claims', async () => {
    const { executor, service, eventsOf } = setup();
    const { tenantId, clinicId } = await seedClinic(executor);
    const admin = staffActor(tenantId, ['admin']);
    const member = await service.create(admin, {
      displayName: 'Dr. Example',
      email: 'doctor@example.org',
      roles: ['clinician'],
      clinicIds: [clinicId],
    });
    const schedule = await service.setSchedule(admin, member.id, clinicId, {
      timeZone: 'Europe/Berlin',
      weeklyHours: [
        { day: 'monday', start: '08:00', end: '16:00', breaks: [{ start: '12:00', end: '12:30' }] },
      ],
      dateOverrides: [{ date: '2026-12-24', intervals: [], reason: 'Closed' }],
    });
    expect(await eventsOf(member.id)).toEqual(['Staff:create']);
    expect(await eventsOf(`${member.id}/${clinicId}`)).toEqual(['Schedule:create']);
    const colleague = staffActor(tenantId, ['receptionist'], [clinicId]);
    expect(await service.getSchedule(colleague, member.id, clinicId)).toEqual(schedule);
    expect((await service.list(colleague, {})).items.map((found) => found.id)).toEqual([member.id]);
  });

  it('finds no member of another tenant when the actor reads or schedules them', async () => {
    const { executor, service } = setup();
    const home = await seedClinic(executor);
    const away = await seedClinic(executor);
    const member = await service.create(staffActor(home.tenantId, ['admin']), {
      displayName: 'Dr. Example',
      email: 'doctor@example.org',
      roles: ['clinician'],
      clinicIds: [home.clinicId],
    });
    const stranger = staffActor(away.tenantId, ['admin']);
    await expect(service.get(stranger, member.id)).rejects.toThrow(NotFoundError);
    await expect(
      service.setSchedule(stranger, member.id, away.clinicId, {
        timeZone: 'UTC',
        weeklyHours: [],
      }),
    ).rejects.toThrow(NotFoundError);
    expect((await service.list(stranger, {})).items).toEqual([]);
  });
});

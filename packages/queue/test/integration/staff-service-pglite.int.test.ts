import { NotFoundError } from '@carequeue/core';
import { useTestPglite } from '@carequeue/test-harness';
import { describe, expect, it } from 'vitest';
import { sqlStaffUnitOfWork } from '../../src/postgres/index.js';
import { ClinicNotInTenantError, createStaffService } from '../../src/index.js';
import { auditedActions, seedClinic, serviceDependencies, staffActor } from './service-fixtures.js';

describe('StaffService on PGlite', () => {
  const pglite = useTestPglite();

  function setup() {
    const { executor, audit, cache, clock } = serviceDependencies(pglite.db);
    const service = createStaffService({
      unitOfWork: sqlStaffUnitOfWork({ executor }),
      audit,
      cache,
      clock,
    });
    const eventsOf = (resourceId: string) => auditedActions(executor, resourceId);
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

  it('refuses a clinic of another tenant when staff are assigned or scheduled', async () => {
    const { executor, service, eventsOf } = setup();
    const home = await seedClinic(executor);
    const away = await seedClinic(executor);
    const admin = staffActor(home.tenantId, ['admin']);
    const input = {
      displayName: 'Dr. Example',
      email: 'doctor@example.org',
      roles: ['clinician'] as const,
      clinicIds: [home.clinicId, away.clinicId],
    };
    await expect(service.create(admin, input)).rejects.toThrow(ClinicNotInTenantError);
    const member = await service.create(admin, { ...input, clinicIds: [home.clinicId] });
    await expect(
      service.update(admin, member.id, { expectedVersion: 0, clinicIds: [away.clinicId] }),
    ).rejects.toThrow(ClinicNotInTenantError);
    await expect(
      service.setSchedule(admin, member.id, away.clinicId, { timeZone: 'UTC', weeklyHours: [] }),
    ).rejects.toThrow(ClinicNotInTenantError);
    expect(await service.get(admin, member.id)).toEqual(member);
    expect(await eventsOf(member.id)).toEqual(['Staff:create']);
    expect(await eventsOf(`${member.id}/${away.clinicId}`)).toEqual([]);
  });
});

import { createAuditLogService, memoryAuditStore } from '@carequeue/audit';
import {
  ClinicId,
  ForbiddenError,
  NotFoundError,
  PatientId,
  StaffId,
  TenantId,
  uuidv7,
  ValidationError,
} from '@carequeue/core';
import type { Actor } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { memoryClinicRepository } from '../clinics/index.js';
import { StaleVersionError } from '../errors.js';
import { sampleClinic } from '../testing/clinic-repository-contract.js';
import { sampleStaff } from '../testing/staff-repository-contract.js';
import { memoryServiceDependencies, staffActorOf } from '../../test/memory-service-fixture.js';
import { memoryScheduleRepository } from './memory/schedule-repository.js';
import { ClinicNotInTenantError } from './staff-errors.js';
import { createStaffService, type NewStaff, type ScheduleInput } from './staff-service.js';
import { memoryStaffUnitOfWork } from './memory/staff-unit-of-work.js';

const tenantId = TenantId.parse(uuidv7());
const clinicOne = ClinicId.parse(uuidv7());
const clinicTwo = ClinicId.parse(uuidv7());

function actor(roles: Actor['roles'], overrides: Partial<Actor> = {}): Actor {
  return staffActorOf(tenantId, roles, overrides);
}

const admin = actor(['admin']);
const owner = actor(['owner']);
const receptionist = actor(['receptionist'], { clinicIds: [clinicOne] });
const patient = actor(['patient'], { aal: 'aal1', patientId: PatientId.parse(uuidv7()) });

const doctor: NewStaff = {
  displayName: 'Dr. Example',
  email: 'doctor@example.org',
  roles: ['clinician'],
  clinicIds: [clinicOne],
};

const hours: ScheduleInput = {
  timeZone: 'Europe/Berlin',
  weeklyHours: [
    { day: 'monday', start: '08:00', end: '16:00', breaks: [{ start: '12:00', end: '12:30' }] },
  ],
  dateOverrides: [{ date: '2026-12-24', intervals: [] }],
};

async function setup() {
  const { clock, auditStore, audit, cache, events } = memoryServiceDependencies();
  const schedules = memoryScheduleRepository();
  const clinics = memoryClinicRepository();
  await clinics.insert(sampleClinic(tenantId, { id: clinicOne }));
  await clinics.insert(sampleClinic(tenantId, { id: clinicTwo }));
  const elsewhere = sampleClinic(TenantId.parse(uuidv7()));
  await clinics.insert(elsewhere);
  const service = createStaffService({
    unitOfWork: memoryStaffUnitOfWork({ auditStore, schedules, clinics }),
    audit,
    cache,
    clock,
  });
  return {
    clock,
    schedules,
    service,
    events: () => events(tenantId),
    foreignClinic: elsewhere.id,
  };
}

describe('StaffService', () => {
  it('registers and changes a member with audits when an admin manages staff', async () => {
    const { service, events } = await setup();
    const member = await service.create(admin, doctor);
    expect(member).toMatchObject({ tenantId, active: true, version: 0 });
    const changed = await service.update(admin, member.id, {
      expectedVersion: 0,
      roles: ['clinician', 'receptionist'],
      clinicIds: [clinicOne, clinicTwo],
    });
    expect(changed).toMatchObject({ roles: ['clinician', 'receptionist'], version: 1 });
    expect(await service.get(admin, member.id)).toEqual(changed);
    expect((await events()).map((event) => `${event.resourceType}:${event.action}`)).toEqual([
      'Staff:create',
      'Staff:update',
    ]);
    await expect(
      service.update(admin, member.id, { expectedVersion: 0, active: false }),
    ).rejects.toThrow(StaleVersionError);
  });

  it('rejects an invalid e-mail without echoing it when registering', async () => {
    const { service } = await setup();
    const error = await service
      .create(admin, { ...doctor, email: 'not-an-address' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect(JSON.stringify(error)).not.toContain('not-an-address');
  });

  it('forbids the owner role when a non-owner assigns it', async () => {
    const { service } = await setup();
    const member = await service.create(admin, doctor);
    await expect(service.create(admin, { ...doctor, roles: ['owner'] })).rejects.toThrow(
      ForbiddenError,
    );
    await expect(
      service.update(admin, member.id, { expectedVersion: 0, roles: ['owner'] }),
    ).rejects.toThrow(ForbiddenError);
    expect((await service.create(owner, { ...doctor, roles: ['owner'] })).roles).toEqual(['owner']);
  });

  it('forbids staff writes when the actor is clinic staff or a patient', async () => {
    const { service } = await setup();
    const member = await service.create(admin, doctor);
    for (const wrong of [receptionist, patient]) {
      await expect(service.create(wrong, doctor)).rejects.toThrow(ForbiddenError);
      await expect(
        service.update(wrong, member.id, { expectedVersion: 0, active: false }),
      ).rejects.toThrow(ForbiddenError);
      await expect(service.setSchedule(wrong, member.id, clinicOne, hours)).rejects.toThrow(
        ForbiddenError,
      );
    }
  });

  it('shows clinic staff only colleagues sharing a clinic and patients no one', async () => {
    const { service } = await setup();
    const colleague = await service.create(admin, doctor);
    const elsewhere = await service.create(admin, { ...doctor, clinicIds: [clinicTwo] });
    expect((await service.list(receptionist, {})).items.map((found) => found.id)).toEqual([
      colleague.id,
    ]);
    await expect(service.get(receptionist, elsewhere.id)).rejects.toThrow(NotFoundError);
    expect((await service.list(patient, {})).items).toEqual([]);
    await expect(service.get(patient, colleague.id)).rejects.toThrow(NotFoundError);
    expect((await service.list(admin, {})).items).toHaveLength(2);
  });

  it('finds nothing when the member belongs to another tenant', async () => {
    const { service } = await setup();
    const member = await service.create(admin, doctor);
    const stranger = actor(['admin'], { tenantId: TenantId.parse(uuidv7()) });
    await expect(service.get(stranger, member.id)).rejects.toThrow(NotFoundError);
    await expect(service.setSchedule(stranger, member.id, clinicOne, hours)).rejects.toThrow(
      NotFoundError,
    );
  });

  it('sets a schedule with an audit and serves it to a patient when one is saved', async () => {
    const { service, events } = await setup();
    const member = await service.create(admin, doctor);
    const schedule = await service.setSchedule(admin, member.id, clinicOne, hours);
    expect(schedule).toMatchObject({ staffId: member.id, clinicId: clinicOne, version: 0 });
    expect(await service.getSchedule(patient, member.id, clinicOne)).toEqual(schedule);
    const [, saved] = await events();
    expect(saved).toMatchObject({ resourceType: 'Schedule', action: 'create' });
  });

  it('serves the cached schedule and invalidates it when the schedule is set again', async () => {
    const { schedules, service } = await setup();
    const member = await service.create(admin, doctor);
    const first = await service.setSchedule(admin, member.id, clinicOne, hours);
    await service.getSchedule(receptionist, member.id, clinicOne);
    await schedules.save({ ...first, timeZone: 'UTC', version: 1 });
    expect((await service.getSchedule(receptionist, member.id, clinicOne)).timeZone).toBe(
      'Europe/Berlin',
    );
    const second = await service.setSchedule(admin, member.id, clinicOne, {
      ...hours,
      timeZone: 'America/New_York',
      expectedVersion: 1,
    });
    expect(await service.getSchedule(receptionist, member.id, clinicOne)).toEqual(second);
  });

  it('rejects schedules when hours are invalid, stale or read outside the clinics', async () => {
    const { service } = await setup();
    const member = await service.create(admin, doctor);
    await expect(
      service.setSchedule(admin, member.id, clinicOne, {
        ...hours,
        weeklyHours: [{ day: 'monday', start: '16:00', end: '08:00', breaks: [] }],
      }),
    ).rejects.toThrow(ValidationError);
    await service.setSchedule(admin, member.id, clinicOne, hours);
    await expect(service.setSchedule(admin, member.id, clinicOne, hours)).rejects.toThrow(
      StaleVersionError,
    );
    await expect(service.getSchedule(receptionist, member.id, clinicTwo)).rejects.toThrow(
      ForbiddenError,
    );
    await expect(service.getSchedule(admin, member.id, clinicTwo)).rejects.toThrow(NotFoundError);
    await expect(
      service.setSchedule(admin, StaffId.parse(uuidv7()), clinicOne, hours),
    ).rejects.toThrow(NotFoundError);
  });

  it('refuses a clinic of another tenant when staff are assigned or scheduled', async () => {
    const { service, events, foreignClinic } = await setup();
    await expect(
      service.create(admin, { ...doctor, clinicIds: [clinicOne, foreignClinic] }),
    ).rejects.toThrow(ClinicNotInTenantError);
    await expect(
      service.create(admin, { ...doctor, clinicIds: [ClinicId.parse(uuidv7())] }),
    ).rejects.toThrow(ClinicNotInTenantError);
    const member = await service.create(admin, doctor);
    await expect(
      service.update(admin, member.id, { expectedVersion: 0, clinicIds: [foreignClinic] }),
    ).rejects.toThrow(ClinicNotInTenantError);
    await expect(service.setSchedule(admin, member.id, foreignClinic, hours)).rejects.toThrow(
      ClinicNotInTenantError,
    );
    expect(await service.get(admin, member.id)).toEqual(member);
    expect((await service.list(admin, {})).items).toEqual([member]);
    expect((await events()).map((event) => `${event.resourceType}:${event.action}`)).toEqual([
      'Staff:create',
    ]);
  });

  it('leaves no write behind when a unit of work fails after writing', async () => {
    const auditStore = memoryAuditStore();
    const clinics = memoryClinicRepository();
    const unitOfWork = memoryStaffUnitOfWork({ auditStore, clinics });
    const member = sampleStaff(tenantId, []);
    const failure = new Error('audit store unavailable');
    await expect(
      unitOfWork.run(admin, async (scope) => {
        await scope.staff.insert(member);
        await scope.recordAudit(
          await createAuditLogService({ store: auditStore }).buildModificationEvent(
            admin.userId,
            `Staff/${member.id}`,
            null,
            member,
            { tenantId, patientId: null },
          ),
        );
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await unitOfWork.run(admin, (scope) => scope.staff.get(tenantId, member.id))).toBe(
      undefined,
    );
    expect((await auditStore.query({ tenantId, limit: 10 })).items).toEqual([]);
  });
});

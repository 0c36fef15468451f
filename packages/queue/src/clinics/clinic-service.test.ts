import {
  ClinicId,
  ForbiddenError,
  NotFoundError,
  PatientId,
  ServiceTypeId,
  TenantId,
  uuidv7,
  ValidationError,
} from '@carequeue/core';
import type { Actor } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { StaleVersionError } from '../errors.js';
import { memoryServiceDependencies, staffActorOf } from '../../test/memory-service-fixture.js';
import { createClinicService } from './clinic-service.js';
import { memoryClinicUnitOfWork } from './memory/clinic-unit-of-work.js';
import { memoryClinicRepository } from './memory/clinic-repository.js';

const tenantId = TenantId.parse(uuidv7());

function actor(roles: Actor['roles'], overrides: Partial<Actor> = {}): Actor {
  return staffActorOf(tenantId, roles, overrides);
}

const admin = actor(['admin']);

function setup() {
  const { clock, auditStore, audit, cache, events } = memoryServiceDependencies();
  const clinics = memoryClinicRepository();
  const service = createClinicService({
    unitOfWork: memoryClinicUnitOfWork({ auditStore, clinics }),
    audit,
    cache,
    clock,
  });
  return { clock, clinics, service, events: () => events(tenantId) };
}

describe('ClinicService', () => {
  it('creates a clinic with default settings and audits it when an admin creates one', async () => {
    const { service, events } = setup();
    const clinic = await service.create(admin, { name: 'Main Street', timeZone: 'Europe/Berlin' });
    expect(clinic).toMatchObject({ tenantId, version: 0, openingHours: [] });
    expect(clinic.settings.slotIntervalMinutes).toBe(15);
    const [created] = await events();
    expect(created).toMatchObject({ category: 'modification', action: 'create' });
    expect(created?.resourceId).toBe(clinic.id);
  });

  it('rejects a time zone that is not IANA without echoing it when creating', async () => {
    const { service, events } = setup();
    const error = await service
      .create(admin, { name: 'Main Street', timeZone: 'Mars/Olympus_Mons' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect(JSON.stringify(error)).not.toContain('Olympus');
    expect(await events()).toHaveLength(0);
  });

  it('rejects opening hours with a break outside them when updating', async () => {
    const { service } = setup();
    const clinic = await service.create(admin, { name: 'Main Street', timeZone: 'UTC' });
    await expect(
      service.update(admin, clinic.id, {
        expectedVersion: 0,
        openingHours: [
          {
            day: 'monday',
            start: '08:00',
            end: '12:00',
            breaks: [{ start: '13:00', end: '14:00' }],
          },
        ],
      }),
    ).rejects.toThrow(ValidationError);
  });

  it('serves settings from cache and invalidates them when the clinic is updated', async () => {
    const { clinics, service, events } = setup();
    const clinic = await service.create(admin, { name: 'Main Street', timeZone: 'UTC' });
    expect((await service.getSettings(admin, clinic.id)).walkInsEnabled).toBe(true);
    await clinics.update({ ...clinic, name: 'Bypassed', version: 1 });
    expect((await service.get(admin, clinic.id)).name).toBe('Main Street');
    const updated = await service.update(admin, clinic.id, {
      expectedVersion: 1,
      settings: { walkInsEnabled: false },
      openingHours: [{ day: 'tuesday', start: '09:00', end: '17:00', breaks: [] }],
    });
    expect(updated).toMatchObject({ name: 'Bypassed', version: 2 });
    expect((await service.getSettings(admin, clinic.id)).walkInsEnabled).toBe(false);
    expect((await service.get(admin, clinic.id)).openingHours).toEqual(updated.openingHours);
    expect((await events()).map((event) => event.action)).toEqual(['create', 'update']);
  });

  it('rejects an update with StaleVersionError when the clinic changed since it was read', async () => {
    const { service } = setup();
    const clinic = await service.create(admin, { name: 'Main Street', timeZone: 'UTC' });
    await service.update(admin, clinic.id, { expectedVersion: 0, name: 'First' });
    await expect(
      service.update(admin, clinic.id, { expectedVersion: 0, name: 'Second' }),
    ).rejects.toThrow(StaleVersionError);
  });

  it('forbids writes when the actor is clinic staff or a patient', async () => {
    const { service } = setup();
    const clinic = await service.create(admin, { name: 'Main Street', timeZone: 'UTC' });
    const receptionist = actor(['receptionist'], { clinicIds: [clinic.id] });
    const patient = actor(['patient'], { aal: 'aal1', patientId: PatientId.parse(uuidv7()) });
    for (const wrong of [receptionist, patient]) {
      await expect(service.create(wrong, { name: 'X', timeZone: 'UTC' })).rejects.toThrow(
        ForbiddenError,
      );
      await expect(
        service.update(wrong, clinic.id, { expectedVersion: 0, name: 'X' }),
      ).rejects.toThrow(ForbiddenError);
      await expect(
        service.addServiceType(wrong, clinic.id, { name: 'X', durationMinutes: 10 }),
      ).rejects.toThrow(ForbiddenError);
    }
  });

  it('forbids reads when clinic staff work at another clinic', async () => {
    const { service } = setup();
    const clinic = await service.create(admin, { name: 'Main Street', timeZone: 'UTC' });
    const elsewhere = actor(['clinician'], { clinicIds: [ClinicId.parse(uuidv7())] });
    await expect(service.get(elsewhere, clinic.id)).rejects.toThrow(ForbiddenError);
    await expect(service.getSettings(elsewhere, clinic.id)).rejects.toThrow(ForbiddenError);
    await expect(service.listServiceTypes(elsewhere, clinic.id, {})).rejects.toThrow(
      ForbiddenError,
    );
    expect((await service.list(elsewhere, {})).items).toEqual([]);
    const here = actor(['clinician'], { clinicIds: [clinic.id] });
    expect((await service.list(here, {})).items.map((found) => found.id)).toEqual([clinic.id]);
  });

  it('finds nothing when the clinic belongs to another tenant', async () => {
    const { service } = setup();
    const clinic = await service.create(admin, { name: 'Main Street', timeZone: 'UTC' });
    const stranger = actor(['admin'], { tenantId: TenantId.parse(uuidv7()) });
    await expect(service.get(stranger, clinic.id)).rejects.toThrow(NotFoundError);
    await expect(
      service.addServiceType(stranger, clinic.id, { name: 'X', durationMinutes: 10 }),
    ).rejects.toThrow(NotFoundError);
    expect((await service.list(stranger, {})).items).toEqual([]);
  });

  it('adds, changes and lists service types with audits when an admin manages them', async () => {
    const { service, events } = setup();
    const clinic = await service.create(admin, { name: 'Main Street', timeZone: 'UTC' });
    const checkup = await service.addServiceType(admin, clinic.id, {
      name: 'Checkup',
      durationMinutes: 15,
    });
    expect(checkup).toMatchObject({ bufferBeforeMinutes: 0, active: true, clinicId: clinic.id });
    const longer = await service.updateServiceType(admin, checkup.id, {
      expectedVersion: 0,
      durationMinutes: 30,
    });
    expect(longer).toMatchObject({ durationMinutes: 30, version: 1 });
    const patient = actor(['patient'], { aal: 'aal1', patientId: PatientId.parse(uuidv7()) });
    expect((await service.listServiceTypes(patient, clinic.id, {})).items).toEqual([longer]);
    expect((await events()).map((event) => `${event.resourceType}:${event.action}`)).toEqual([
      'Clinic:create',
      'ServiceType:create',
      'ServiceType:update',
    ]);
  });

  it('rejects service type changes when the type is unknown, invalid or out of scope', async () => {
    const { service } = setup();
    const clinic = await service.create(admin, { name: 'Main Street', timeZone: 'UTC' });
    const checkup = await service.addServiceType(admin, clinic.id, {
      name: 'Checkup',
      durationMinutes: 15,
    });
    await expect(
      service.updateServiceType(admin, ServiceTypeId.parse(uuidv7()), { expectedVersion: 0 }),
    ).rejects.toThrow(NotFoundError);
    await expect(
      service.updateServiceType(admin, checkup.id, { expectedVersion: 0, durationMinutes: 0 }),
    ).rejects.toThrow(ValidationError);
    await expect(
      service.addServiceType(admin, clinic.id, { name: 'Long', durationMinutes: 721 }),
    ).rejects.toThrow(ValidationError);
    const receptionist = actor(['receptionist'], { clinicIds: [clinic.id] });
    await expect(
      service.updateServiceType(receptionist, checkup.id, { expectedVersion: 0 }),
    ).rejects.toThrow(ForbiddenError);
  });
});

import { NotFoundError } from '@carequeue/core';
import { useTestPglite } from '@carequeue/test-harness';
import { describe, expect, it } from 'vitest';
import { sqlClinicUnitOfWork } from '../../src/postgres/index.js';
import { createClinicService, StaleVersionError } from '../../src/index.js';
import { auditedActions, seedTenant, serviceDependencies, staffActor } from './service-fixtures.js';

describe('ClinicService on PGlite', () => {
  const pglite = useTestPglite();

  function setup() {
    const { executor, audit, cache, clock } = serviceDependencies(pglite.db);
    const unitOfWork = sqlClinicUnitOfWork({ executor });
    const service = createClinicService({ unitOfWork, audit, cache, clock });
    const eventsOf = (resourceId: string) => auditedActions(executor, resourceId);
    return { executor, unitOfWork, audit, service, eventsOf };
  }

  it('commits clinics, service types and their audit events under the actor claims', async () => {
    const { executor, service, eventsOf } = setup();
    const actor = staffActor(await seedTenant(executor));
    const clinic = await service.create(actor, {
      name: 'Main Street',
      timeZone: 'Europe/Berlin',
      openingHours: [{ day: 'monday', start: '08:00', end: '17:00', breaks: [] }],
    });
    const updated = await service.update(actor, clinic.id, {
      expectedVersion: 0,
      settings: { walkInsEnabled: false },
    });
    const checkup = await service.addServiceType(actor, clinic.id, {
      name: 'Checkup',
      durationMinutes: 20,
    });
    expect(await eventsOf(clinic.id)).toEqual(['Clinic:create', 'Clinic:update']);
    expect(await eventsOf(checkup.id)).toEqual(['ServiceType:create']);
    expect(await service.get(actor, clinic.id)).toEqual(updated);
    expect((await service.listServiceTypes(actor, clinic.id, {})).items).toEqual([checkup]);
    await expect(
      service.update(actor, clinic.id, { expectedVersion: 0, name: 'Stale' }),
    ).rejects.toThrow(StaleVersionError);
  });

  it('finds no clinic of another tenant when the actor reads or writes it', async () => {
    const { executor, service } = setup();
    const owner = staffActor(await seedTenant(executor));
    const stranger = staffActor(await seedTenant(executor));
    const clinic = await service.create(owner, { name: 'Main Street', timeZone: 'UTC' });
    await expect(service.get(stranger, clinic.id)).rejects.toThrow(NotFoundError);
    await expect(
      service.update(stranger, clinic.id, { expectedVersion: 0, name: 'Taken' }),
    ).rejects.toThrow(NotFoundError);
    expect((await service.list(stranger, {})).items).toEqual([]);
  });

  it('leaves neither the clinic nor the audit event when the unit of work fails', async () => {
    const { executor, unitOfWork, audit, service, eventsOf } = setup();
    const actor = staffActor(await seedTenant(executor));
    const clinic = await service.create(actor, { name: 'Main Street', timeZone: 'UTC' });
    await expect(
      unitOfWork.run(actor, async ({ clinics, recordAudit }) => {
        await clinics.update({ ...clinic, name: 'Renamed', version: 1 });
        await recordAudit(
          await audit.buildModificationEvent(
            actor.userId,
            `Clinic/${clinic.id}`,
            clinic,
            {},
            {
              tenantId: actor.tenantId,
            },
          ),
        );
        throw new Error('fails after both writes');
      }),
    ).rejects.toThrow('fails after both writes');
    expect(await eventsOf(clinic.id)).toEqual(['Clinic:create']);
    expect((await service.get(actor, clinic.id)).name).toBe('Main Street');
  });
});

import { createAuditLogService } from '@carequeue/audit';
import { postgresAuditStore } from '@carequeue/audit/postgres';
import { createCacheService, defaultNamespaces } from '@carequeue/cache';
import {
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
import { sqlClinicUnitOfWork } from '../../src/adapters/postgres.js';
import { createClinicService, StaleVersionError } from '../../src/index.js';

async function seedTenant(executor: SqlExecutor): Promise<TenantId> {
  const tenantId = TenantId.parse(uuidv7());
  await asServiceRole(executor, (tx) =>
    tx.query("INSERT INTO queue.tenants (tenant_id, name, created_at) VALUES ($1, 'T', now())", [
      tenantId,
    ]),
  );
  return tenantId;
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

describe('ClinicService on PGlite', () => {
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
    const unitOfWork = sqlClinicUnitOfWork({ executor });
    const audit = createAuditLogService({
      store: postgresAuditStore({ executor }),
      encryptor,
      clock,
    });
    const service = createClinicService({
      unitOfWork,
      audit,
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
    return { executor, unitOfWork, audit, service, eventsOf };
  }

  it('commits clinics, service types and their audit events under the actor claims', async () => {
    const { executor, service, eventsOf } = setup();
    const actor = admin(await seedTenant(executor));
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
    const owner = admin(await seedTenant(executor));
    const stranger = admin(await seedTenant(executor));
    const clinic = await service.create(owner, { name: 'Main Street', timeZone: 'UTC' });
    await expect(service.get(stranger, clinic.id)).rejects.toThrow(NotFoundError);
    await expect(
      service.update(stranger, clinic.id, { expectedVersion: 0, name: 'Taken' }),
    ).rejects.toThrow(NotFoundError);
    expect((await service.list(stranger, {})).items).toEqual([]);
  });

  it('leaves neither the clinic nor the audit event when the unit of work fails', async () => {
    const { executor, unitOfWork, audit, service, eventsOf } = setup();
    const actor = admin(await seedTenant(executor));
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

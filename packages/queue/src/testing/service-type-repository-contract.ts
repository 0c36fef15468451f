import {
  ServiceTypeId,
  uuidv7,
  ValidationError,
  type ClinicId,
  type ServiceType,
  type TenantId,
} from '@carequeue/core';
import type { ServiceTypeRepository } from '../clinics/index.js';
import { StaleVersionError } from '../errors.js';
import type { ContractFixtures, ContractRunner } from './contract-types.js';

/**
 * Options of {@link runServiceTypeRepositoryContract}.
 *
 * @example
 * ```ts
 * const options: ServiceTypeRepositoryContractOptions = { name: 'memory', create: memoryServiceTypeRepository, fixtures };
 * ```
 */
export interface ServiceTypeRepositoryContractOptions {
  readonly name: string;
  readonly create: () => ServiceTypeRepository;
  readonly fixtures: ContractFixtures;
}

/**
 * A service type to store in contract tests.
 *
 * @example
 * ```ts
 * await repo.insert(sampleServiceType(tenantId, clinicId));
 * ```
 */
export function sampleServiceType(
  tenantId: TenantId,
  clinicId: ClinicId,
  overrides: Partial<ServiceType> = {},
): ServiceType {
  return {
    id: ServiceTypeId.parse(uuidv7()),
    tenantId,
    clinicId,
    name: 'Checkup',
    durationMinutes: 15,
    bufferBeforeMinutes: 5,
    bufferAfterMinutes: 10,
    active: true,
    createdAt: '2026-03-02T09:00:00.000Z',
    updatedAt: '2026-03-02T09:00:00.000Z',
    version: 0,
    ...overrides,
  };
}

/**
 * The contract every {@link ServiceTypeRepository} passes: round trips, tenant isolation,
 * optimistic versions and cursor pagination per clinic.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import { runServiceTypeRepositoryContract } from '@carequeue/queue/testing';
 *
 * runServiceTypeRepositoryContract({ describe, it, expect }, { name: 'memory', create: memoryServiceTypeRepository, fixtures });
 * ```
 */
export function runServiceTypeRepositoryContract(
  { describe, it, expect }: ContractRunner,
  { name, create, fixtures }: ServiceTypeRepositoryContractOptions,
): void {
  describe(`ServiceTypeRepository contract (${name})`, () => {
    it('refuses a non-UUID service type or clinic id with a ValidationError on every adapter, not a 404 on memory and a 502 on SQL', async () => {
      const repo = create();
      const tenantId = await fixtures.tenant();
      await expect(repo.get(tenantId, 'type-1' as ServiceTypeId)).rejects.toThrow(ValidationError);
      await expect(repo.listByClinic(tenantId, 'clinic-1' as ClinicId, {})).rejects.toThrow(
        ValidationError,
      );
    });

    it('reads back every field when a service type was inserted', async () => {
      const repo = create();
      const tenantId = await fixtures.tenant();
      const serviceType = sampleServiceType(tenantId, await fixtures.clinic(tenantId));
      await repo.insert(serviceType);
      expect(await repo.get(tenantId, serviceType.id)).toEqual(serviceType);
      await expect(repo.insert(serviceType)).rejects.toThrow();
    });

    it('hides a service type from another tenant when it reads or updates', async () => {
      const repo = create();
      const tenantA = await fixtures.tenant();
      const tenantB = await fixtures.tenant();
      const clinicId = await fixtures.clinic(tenantA);
      const serviceType = sampleServiceType(tenantA, clinicId);
      await repo.insert(serviceType);
      expect(await repo.get(tenantB, serviceType.id)).toBeUndefined();
      expect((await repo.listByClinic(tenantB, clinicId, {})).items).toHaveLength(0);
      await expect(repo.update({ ...serviceType, tenantId: tenantB, version: 1 })).rejects.toThrow(
        StaleVersionError,
      );
    });

    it('applies an update when the version follows the stored one', async () => {
      const repo = create();
      const tenantId = await fixtures.tenant();
      const serviceType = sampleServiceType(tenantId, await fixtures.clinic(tenantId));
      await repo.insert(serviceType);
      const updated: ServiceType = {
        ...serviceType,
        durationMinutes: 30,
        active: false,
        version: 1,
      };
      await repo.update(updated);
      expect(await repo.get(tenantId, serviceType.id)).toEqual(updated);
      await expect(repo.update(updated)).rejects.toThrow(StaleVersionError);
    });

    it('lists only the clinic own types once in id order when paging', async () => {
      const repo = create();
      const tenantId = await fixtures.tenant();
      const clinicId = await fixtures.clinic(tenantId);
      await repo.insert(sampleServiceType(tenantId, await fixtures.clinic(tenantId)));
      const ids: string[] = [];
      for (let index = 0; index < 5; index += 1) {
        const serviceType = sampleServiceType(tenantId, clinicId);
        ids.push(serviceType.id);
        await repo.insert(serviceType);
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await repo.listByClinic(tenantId, clinicId, { limit: 2, cursor });
        seen.push(...page.items.map((serviceType) => serviceType.id));
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      expect(seen).toEqual([...ids].sort());
    });
  });
}

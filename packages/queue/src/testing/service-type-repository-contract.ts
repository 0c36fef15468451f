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
import { contractCase, idsOfEveryPage } from './contract-cases.js';

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
  const test = contractCase(it, create, fixtures);

  describe(`ServiceTypeRepository contract (${name})`, () => {
    test('refuses a non-UUID service type or clinic id with a ValidationError on every adapter, not a 404 on memory and a 502 on SQL', async ({
      repo,
      tenantId,
    }) => {
      await expect(repo.get(tenantId, 'type-1' as ServiceTypeId)).rejects.toThrow(ValidationError);
      await expect(repo.listByClinic(tenantId, 'clinic-1' as ClinicId, {})).rejects.toThrow(
        ValidationError,
      );
    });

    test('reads back every field when a service type was inserted', async ({ repo, tenantId }) => {
      const serviceType = sampleServiceType(tenantId, await fixtures.clinic(tenantId));
      await repo.insert(serviceType);
      expect(await repo.get(tenantId, serviceType.id)).toEqual(serviceType);
      await expect(repo.insert(serviceType)).rejects.toThrow();
    });

    test('hides a service type from another tenant when it reads or updates', async ({
      repo,
      tenantId: tenantA,
    }) => {
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

    test('applies an update when the version follows the stored one', async ({
      repo,
      tenantId,
    }) => {
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

    test('lists only the clinic own types once in id order when paging', async ({
      repo,
      tenantId,
    }) => {
      const clinicId = await fixtures.clinic(tenantId);
      await repo.insert(sampleServiceType(tenantId, await fixtures.clinic(tenantId)));
      const ids: string[] = [];
      for (let index = 0; index < 5; index += 1) {
        const serviceType = sampleServiceType(tenantId, clinicId);
        ids.push(serviceType.id);
        await repo.insert(serviceType);
      }
      const seen = await idsOfEveryPage((cursor) =>
        repo.listByClinic(tenantId, clinicId, { limit: 2, cursor }),
      );
      expect(seen).toEqual([...ids].sort());
    });
  });
}

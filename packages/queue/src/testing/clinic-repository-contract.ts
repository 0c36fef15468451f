import { ClinicId, uuidv7, ValidationError, type TenantId } from '@carequeue/core';
import type { ClinicRepository, StoredClinic } from '../clinics/index.js';
import { StaleVersionError } from '../errors.js';
import type { ContractFixtures, ContractRunner } from './contract-types.js';
import { contractCase, idsOfEveryPage } from './contract-cases.js';

/**
 * Options of {@link runClinicRepositoryContract}.
 *
 * @example
 * ```ts
 * const options: ClinicRepositoryContractOptions = { name: 'memory', create: memoryClinicRepository, fixtures };
 * ```
 */
export interface ClinicRepositoryContractOptions {
  readonly name: string;
  readonly create: () => ClinicRepository;
  readonly fixtures: ContractFixtures;
}

/**
 * A clinic to store in contract tests, with every optional field set.
 *
 * @example
 * ```ts
 * await repo.insert(sampleClinic(tenantId));
 * ```
 */
export function sampleClinic(
  tenantId: TenantId,
  overrides: Partial<StoredClinic> = {},
): StoredClinic {
  return {
    id: ClinicId.parse(uuidv7()),
    tenantId,
    name: 'Main Street Clinic',
    timeZone: 'Europe/Berlin',
    address: { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'DE' },
    settings: {
      walkInsEnabled: true,
      slotIntervalMinutes: 15,
      minimumNoticeMinutes: 60,
      bookingHorizonDays: 60,
      lateCancelWindowMinutes: 1440,
      noShowGraceMinutes: 15,
      maxRecalls: 2,
    },
    openingHours: [
      { day: 'monday', start: '08:00', end: '17:00', breaks: [{ start: '12:00', end: '13:00' }] },
    ],
    createdAt: '2026-03-02T09:00:00.000Z',
    updatedAt: '2026-03-02T09:00:00.000Z',
    version: 0,
    ...overrides,
  };
}

/**
 * The contract every {@link ClinicRepository} passes: round trips, tenant isolation, optimistic
 * versions and cursor pagination.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import { runClinicRepositoryContract } from '@carequeue/queue/testing';
 *
 * runClinicRepositoryContract({ describe, it, expect }, { name: 'memory', create: memoryClinicRepository, fixtures });
 * ```
 */
export function runClinicRepositoryContract(
  { describe, it, expect }: ContractRunner,
  { name, create, fixtures }: ClinicRepositoryContractOptions,
): void {
  const test = contractCase(it, create, fixtures);

  describe(`ClinicRepository contract (${name})`, () => {
    test('refuses a non-UUID clinic id or a NUL byte in a name with a ValidationError on every adapter, not a 404 on memory and a 502 on SQL', async ({
      repo,
      tenantId,
    }) => {
      await expect(repo.get(tenantId, 'clinic-1' as ClinicId)).rejects.toThrow(ValidationError);
      const clinic = sampleClinic(tenantId, { name: 'North\u0000' });
      await expect(repo.insert(clinic)).rejects.toThrow(ValidationError);
      expect(await repo.get(tenantId, clinic.id)).toBeUndefined();
    });

    test('reads back every field when a clinic was inserted', async ({ repo, tenantId }) => {
      const clinic = sampleClinic(tenantId);
      await repo.insert(clinic);
      expect(await repo.get(tenantId, clinic.id)).toEqual(clinic);
      const { address: _omitted, ...bare } = sampleClinic(tenantId, { openingHours: [] });
      await repo.insert(bare);
      expect(await repo.get(tenantId, bare.id)).toEqual(bare);
    });

    test('rejects a second clinic with the same id when one is stored', async ({
      repo,
      tenantId,
    }) => {
      const clinic = sampleClinic(tenantId);
      await repo.insert(clinic);
      await expect(repo.insert(clinic)).rejects.toThrow();
    });

    test('hides a clinic from another tenant when it reads or updates', async ({
      repo,
      tenantId: tenantA,
    }) => {
      const tenantB = await fixtures.tenant();
      const clinic = sampleClinic(tenantA);
      await repo.insert(clinic);
      expect(await repo.get(tenantB, clinic.id)).toBeUndefined();
      expect((await repo.list(tenantB, {})).items).toHaveLength(0);
      await expect(repo.update({ ...clinic, tenantId: tenantB, version: 1 })).rejects.toThrow(
        StaleVersionError,
      );
    });

    test('applies an update when the version follows the stored one', async ({
      repo,
      tenantId,
    }) => {
      const clinic = sampleClinic(tenantId);
      await repo.insert(clinic);
      const updated: StoredClinic = {
        ...clinic,
        timeZone: 'America/New_York',
        settings: { ...clinic.settings, walkInsEnabled: false },
        openingHours: [{ day: 'friday', start: '09:00', end: '12:00', breaks: [] }],
        version: 1,
      };
      await repo.update(updated);
      expect(await repo.get(tenantId, clinic.id)).toEqual(updated);
      await expect(repo.update(updated)).rejects.toThrow(StaleVersionError);
    });

    test('returns every clinic once in id order when paging through the list', async ({
      repo,
      tenantId,
    }) => {
      const ids: string[] = [];
      for (let index = 0; index < 5; index += 1) {
        const clinic = sampleClinic(tenantId);
        ids.push(clinic.id);
        await repo.insert(clinic);
      }
      const seen = await idsOfEveryPage((cursor) => repo.list(tenantId, { limit: 2, cursor }));
      expect(seen).toEqual([...ids].sort());
    });
  });
}

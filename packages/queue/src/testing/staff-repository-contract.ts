import {
  StaffId,
  UserId,
  uuidv7,
  ValidationError,
  type ClinicId,
  type Staff,
  type TenantId,
} from '@carequeue/core';
import { StaleVersionError } from '../errors.js';
import type { StaffRepository } from '../staff/index.js';
import type { ContractFixtures, ContractRunner } from './contract-types.js';
import { contractCase, idsOfEveryPage } from './contract-cases.js';

/**
 * Options of {@link runStaffRepositoryContract}.
 *
 * @example
 * ```ts
 * const options: StaffRepositoryContractOptions = { name: 'memory', create: memoryStaffRepository, fixtures };
 * ```
 */
export interface StaffRepositoryContractOptions {
  readonly name: string;
  readonly create: () => StaffRepository;
  readonly fixtures: ContractFixtures;
}

/**
 * A staff member to store in contract tests.
 *
 * @example
 * ```ts
 * await repo.insert(sampleStaff(tenantId, [clinicId]));
 * ```
 */
export function sampleStaff(
  tenantId: TenantId,
  clinicIds: readonly ClinicId[],
  overrides: Partial<Staff> = {},
): Staff {
  return {
    id: StaffId.parse(uuidv7()),
    tenantId,
    userId: UserId.parse(uuidv7()),
    displayName: 'Dr. Example',
    email: 'doctor@example.org',
    roles: ['clinician'],
    clinicIds: [...clinicIds],
    active: true,
    createdAt: '2026-03-02T09:00:00.000Z',
    updatedAt: '2026-03-02T09:00:00.000Z',
    version: 0,
    ...overrides,
  };
}

/**
 * The contract every {@link StaffRepository} passes: round trips, tenant isolation, unique user
 * per tenant, a user that never changes once bound, optimistic versions and cursor pagination.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import { runStaffRepositoryContract } from '@carequeue/queue/testing';
 *
 * runStaffRepositoryContract({ describe, it, expect }, { name: 'memory', create: memoryStaffRepository, fixtures });
 * ```
 */
export function runStaffRepositoryContract(
  { describe, it, expect }: ContractRunner,
  { name, create, fixtures }: StaffRepositoryContractOptions,
): void {
  const test = contractCase(it, create, fixtures);

  describe(`StaffRepository contract (${name})`, () => {
    test('refuses a non-UUID staff or tenant id with a ValidationError on every adapter, not a 404 on memory and a 502 on SQL', async ({
      repo,
      tenantId,
    }) => {
      await expect(repo.get(tenantId, 'staff-1' as StaffId)).rejects.toThrow(ValidationError);
      await expect(repo.get('tenant-1' as TenantId, StaffId.parse(uuidv7()))).rejects.toThrow(
        ValidationError,
      );
      await expect(
        repo.insert({ ...sampleStaff(tenantId, []), id: 'staff-1' as StaffId }),
      ).rejects.toThrow(ValidationError);
    });

    test('reads back every field when a member was inserted', async ({ repo, tenantId }) => {
      const clinicId = await fixtures.clinic(tenantId);
      const staff = sampleStaff(tenantId, [clinicId], { roles: ['clinician', 'receptionist'] });
      await repo.insert(staff);
      expect(await repo.get(tenantId, staff.id)).toEqual(staff);
      const invited = sampleStaff(tenantId, []);
      const { userId: _omitted, ...withoutUser } = invited;
      await repo.insert(withoutUser);
      expect(await repo.get(tenantId, invited.id)).toEqual(withoutUser);
    });

    test('hides a member from another tenant when it reads', async ({
      repo,
      tenantId: tenantA,
    }) => {
      const tenantB = await fixtures.tenant();
      const staff = sampleStaff(tenantA, []);
      await repo.insert(staff);
      expect(await repo.get(tenantB, staff.id)).toBeUndefined();
      expect((await repo.list(tenantB, {})).items).toHaveLength(0);
      await expect(repo.update({ ...staff, tenantId: tenantB, version: 1 })).rejects.toThrow(
        StaleVersionError,
      );
    });

    test('rejects a second member for the same user when the tenant has one', async ({
      repo,
      tenantId,
    }) => {
      const staff = sampleStaff(tenantId, []);
      await repo.insert(staff);
      await expect(
        repo.insert(sampleStaff(tenantId, [], { userId: staff.userId })),
      ).rejects.toThrow();
    });

    test('applies an update when the version follows the stored one', async ({
      repo,
      tenantId,
    }) => {
      const staff = sampleStaff(tenantId, []);
      await repo.insert(staff);
      const updated: Staff = { ...staff, roles: ['admin'], active: false, version: 1 };
      await repo.update(updated);
      expect(await repo.get(tenantId, staff.id)).toEqual(updated);
      await expect(repo.update(updated)).rejects.toThrow(StaleVersionError);
    });

    test('refuses to rebind a member bound to an account, to another account or to none', async ({
      repo,
      tenantId,
    }) => {
      const bound = sampleStaff(tenantId, []);
      await repo.insert(bound);
      await expect(
        repo.update({ ...bound, userId: UserId.parse(uuidv7()), version: 1 }),
      ).rejects.toThrow();
      const { userId: _dropped, ...unbound } = bound;
      await expect(repo.update({ ...unbound, version: 1 })).rejects.toThrow();
      expect(await repo.get(tenantId, bound.id)).toEqual(bound);
    });

    test('binds a member who has no account yet when an update sets its user', async ({
      repo,
      tenantId,
    }) => {
      const { userId: _none, ...invited } = sampleStaff(tenantId, []);
      await repo.insert(invited);
      const bound: Staff = { ...invited, userId: UserId.parse(uuidv7()), version: 1 };
      await repo.update(bound);
      expect(await repo.get(tenantId, invited.id)).toEqual(bound);
    });

    test('returns every member once in id order when paging through the list', async ({
      repo,
      tenantId,
    }) => {
      const ids: string[] = [];
      for (let index = 0; index < 5; index += 1) {
        const staff = sampleStaff(tenantId, []);
        ids.push(staff.id);
        await repo.insert(staff);
      }
      const seen = await idsOfEveryPage((cursor) => repo.list(tenantId, { limit: 2, cursor }));
      expect(seen).toEqual([...ids].sort());
    });
  });
}

import {
  ValidationError,
  type ClinicId,
  type Schedule,
  type StaffId,
  type TenantId,
} from '@carequeue/core';
import { StaleVersionError } from '../errors.js';
import type { ScheduleRepository } from '../staff/index.js';
import type { ContractFixtures, ContractRunner } from './contract-types.js';

/**
 * The rows a schedule's foreign keys need: a tenant, its clinics and a staff member of them.
 *
 * @example
 * ```ts
 * const fixtures: ScheduleContractFixtures = { ...clinicFixtures, staff: async () => newStaffId() };
 * ```
 */
export interface ScheduleContractFixtures extends ContractFixtures {
  /** A fresh staff member of the tenant working at the clinics. */
  readonly staff: (tenantId: TenantId, clinicIds: readonly ClinicId[]) => Promise<StaffId>;
}

/**
 * Options of {@link runScheduleRepositoryContract}.
 *
 * @example
 * ```ts
 * const options: ScheduleRepositoryContractOptions = { name: 'memory', create: memoryScheduleRepository, fixtures };
 * ```
 */
export interface ScheduleRepositoryContractOptions {
  readonly name: string;
  readonly create: () => ScheduleRepository;
  readonly fixtures: ScheduleContractFixtures;
}

/**
 * A schedule to store in contract tests, with split hours, breaks and overrides.
 *
 * @example
 * ```ts
 * await repo.save(sampleSchedule(tenantId, staffId, clinicId));
 * ```
 */
export function sampleSchedule(
  tenantId: TenantId,
  staffId: StaffId,
  clinicId: ClinicId,
  overrides: Partial<Schedule> = {},
): Schedule {
  return {
    tenantId,
    staffId,
    clinicId,
    timeZone: 'Europe/Berlin',
    weeklyHours: [
      {
        day: 'monday',
        start: '08:00',
        end: '17:00',
        breaks: [
          { start: '10:00', end: '10:15' },
          { start: '12:00', end: '12:45' },
        ],
      },
      { day: 'monday', start: '18:00', end: '20:00', breaks: [] },
      { day: 'wednesday', start: '09:00', end: '13:00', breaks: [] },
    ],
    dateOverrides: [
      {
        date: '2026-12-24',
        intervals: [{ start: '08:00', end: '12:00' }],
        reason: 'Holiday hours',
      },
      { date: '2026-12-25', intervals: [] },
    ],
    updatedAt: '2026-03-02T09:00:00.000Z',
    version: 0,
    ...overrides,
  };
}

/**
 * The contract every {@link ScheduleRepository} passes: whole round trips in order, tenant
 * isolation and optimistic versions.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import { runScheduleRepositoryContract } from '@carequeue/queue/testing';
 *
 * runScheduleRepositoryContract({ describe, it, expect }, { name: 'memory', create: memoryScheduleRepository, fixtures });
 * ```
 */
export function runScheduleRepositoryContract(
  { describe, it, expect }: ContractRunner,
  { name, create, fixtures }: ScheduleRepositoryContractOptions,
): void {
  async function owner() {
    const tenantId = await fixtures.tenant();
    const clinicId = await fixtures.clinic(tenantId);
    const staffId = await fixtures.staff(tenantId, [clinicId]);
    return { tenantId, clinicId, staffId };
  }

  describe(`ScheduleRepository contract (${name})`, () => {
    it('refuses a non-UUID staff or clinic id with a ValidationError on every adapter, not a 404 on memory and a 502 on SQL', async () => {
      const repo = create();
      const { tenantId, clinicId, staffId } = await owner();
      await expect(repo.get(tenantId, 'staff-1' as StaffId, clinicId)).rejects.toThrow(
        ValidationError,
      );
      await expect(repo.get(tenantId, staffId, 'clinic-1' as ClinicId)).rejects.toThrow(
        ValidationError,
      );
    });

    it('reads back hours, breaks and overrides in order when a schedule was saved', async () => {
      const repo = create();
      const { tenantId, clinicId, staffId } = await owner();
      const schedule = sampleSchedule(tenantId, staffId, clinicId);
      await repo.save(schedule);
      expect(await repo.get(tenantId, staffId, clinicId)).toEqual(schedule);
    });

    it('replaces every part when the version follows the stored one', async () => {
      const repo = create();
      const { tenantId, clinicId, staffId } = await owner();
      await repo.save(sampleSchedule(tenantId, staffId, clinicId));
      const replaced = sampleSchedule(tenantId, staffId, clinicId, {
        timeZone: 'UTC',
        weeklyHours: [{ day: 'friday', start: '07:00', end: '11:00', breaks: [] }],
        dateOverrides: [],
        version: 1,
      });
      await repo.save(replaced);
      expect(await repo.get(tenantId, staffId, clinicId)).toEqual(replaced);
      await expect(repo.save(replaced)).rejects.toThrow(StaleVersionError);
    });

    it('rejects a new schedule with StaleVersionError when one is stored', async () => {
      const repo = create();
      const { tenantId, clinicId, staffId } = await owner();
      await repo.save(sampleSchedule(tenantId, staffId, clinicId));
      await expect(repo.save(sampleSchedule(tenantId, staffId, clinicId))).rejects.toThrow(
        StaleVersionError,
      );
    });

    it('hides a schedule from another tenant when it reads or saves', async () => {
      const repo = create();
      const { tenantId, clinicId, staffId } = await owner();
      const schedule = sampleSchedule(tenantId, staffId, clinicId);
      await repo.save(schedule);
      const other = await fixtures.tenant();
      expect(await repo.get(other, staffId, clinicId)).toBeUndefined();
      await expect(repo.save({ ...schedule, tenantId: other, version: 1 })).rejects.toThrow(
        StaleVersionError,
      );
    });
  });
}
